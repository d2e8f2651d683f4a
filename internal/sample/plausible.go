package sample

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/getkin/kin-openapi/openapi3"
)

// nullByRole reports whether the role wants property name null when its
// schema allows it: error and errors in a success answer, data in an error
// answer (the members of the Arklow envelope the other outcome fills).
func nullByRole(role Role, name string) bool {
	switch role {
	case RoleSuccess:
		return strings.EqualFold(name, "error") || strings.EqualFold(name, "errors")
	case RoleError:
		return strings.EqualFold(name, "data")
	}
	return false
}

// hint is what a plausible value is chosen by: the property's name split
// into lower-case words ("avatarUrl", "avatar_url" → avatar, url) and the
// name of the enclosing object schema.
type hint struct {
	words []string
	owner string
}

func newHint(name, owner string) hint {
	return hint{words: words(name), owner: strings.ToLower(owner)}
}

// words splits a property name at underscores, dashes, dots, spaces and
// lower-to-upper case changes, in lower case.
func words(name string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	prev := rune(0)
	for _, r := range name {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	flush()
	return out
}

// singular turns an array's key into its items' key: tags → tag,
// categories → category, addresses → address, imageUrls → imageUrl.
func singular(name string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, "ies") && len(name) > 4:
		return name[:len(name)-3] + "y"
	case strings.HasSuffix(lower, "sses"), strings.HasSuffix(lower, "xes"),
		strings.HasSuffix(lower, "ches"), strings.HasSuffix(lower, "shes"):
		return name[:len(name)-2]
	case strings.HasSuffix(lower, "ss"), strings.HasSuffix(lower, "us"), strings.HasSuffix(lower, "is"):
		return name
	case strings.HasSuffix(lower, "s") && len(name) > 2:
		return name[:len(name)-1]
	}
	return name
}

// last is the last word of the name ("" for none).
func (h hint) last() string {
	if len(h.words) == 0 {
		return ""
	}
	return h.words[len(h.words)-1]
}

// is reports whether the whole name, joined by underscores, is one of names.
func (h hint) is(names ...string) bool {
	return slices.Contains(names, strings.Join(h.words, "_"))
}

// lastIs reports whether the last word is one of names.
func (h hint) lastIs(names ...string) bool {
	return slices.Contains(names, h.last())
}

// has reports whether any word is one of names.
func (h hint) has(names ...string) bool {
	for _, w := range h.words {
		if slices.Contains(names, w) {
			return true
		}
	}
	return false
}

// plausibleString proposes strings from the format, then the name, then
// words, and returns the first that satisfies the schema's length, pattern
// and format; else it builds one from the constraints as Value does, a
// pattern drawn by the seed first.
func (g *generator) plausibleString(f *faker, s *openapi3.Schema, variant int) (any, error) {
	limits, re, err := stringConstraints(s)
	if err != nil {
		return nil, err
	}
	r := f.rand(g.at, variant)
	h := newHint(g.name, g.owner)
	for _, c := range f.strings(r, s.Format, h, limits) {
		if limits.fit(c) && (re == nil || matches(re, c)) && formatOK(s.Format, c) {
			return c, nil
		}
	}
	if re != nil && !stringFormat(s.Format) {
		if v, ok := randomPattern(s.Pattern, re, limits, r); ok {
			return v, nil
		}
	}
	v, err := stringValue(s, variant)
	if err == nil && checkedFormat(s.Format) && !formatOK(s.Format, v.(string)) {
		return nil, fmt.Errorf("no string found that has format %s and fits the other constraints", s.Format)
	}
	return v, err
}

// strings lists plausible candidates for a string, best first.
func (f *faker) strings(r *gofakeit.Faker, format string, h hint, l lengthLimits) []string {
	if v, ok := f.byFormat(r, format, h); ok {
		if asserted(format) {
			return v // nothing else can satisfy an asserted format
		}
		return append(v, f.byName(r, h, l)...)
	}
	out := f.byName(r, h, l)
	return append(out, fitText(r, r.Noun(), l))
}

// asserted reports whether validators check format (JSON Schema's formats
// with assertion on, and byte, which kin-openapi checks): values for it come
// from its own rule only.
func asserted(format string) bool {
	switch format {
	case "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname",
		"ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uri-template", "uuid",
		"json-pointer", "relative-json-pointer", "regex", "semver", "period", "byte":
		return true
	}
	return false
}

// byFormat proposes values for the string formats it knows.
func (f *faker) byFormat(r *gofakeit.Faker, format string, h hint) ([]string, bool) {
	switch format {
	case "date-time":
		return []string{f.moment(r, h).Format(time.RFC3339)}, true
	case "date":
		return []string{f.moment(r, h).Format(time.DateOnly)}, true
	case "time":
		return []string{fmt.Sprintf("%02d:%02d:%02dZ", r.IntN(24), r.IntN(60), r.IntN(60))}, true
	case "duration":
		return []string{fmt.Sprintf("PT%dM", 1+r.IntN(90)), fmt.Sprintf("P%dD", 1+r.IntN(30))}, true
	case "email", "idn-email":
		return []string{r.Email()}, true
	case "uuid":
		return []string{r.UUID()}, true
	case "uri", "url", "iri":
		if isImage(h) {
			return f.byName(r, h, lengthLimits{max: -1}), true
		}
		return []string{r.URL()}, true
	case "uri-reference", "iri-reference":
		return []string{"/" + r.UrlSlug(1) + "/" + r.UrlSlug(2)}, true
	case "hostname", "idn-hostname":
		return []string{r.DomainName()}, true
	case "ipv4":
		return []string{r.IPv4Address()}, true
	case "ipv6":
		return []string{r.IPv6Address()}, true
	case "byte":
		return []string{base64.StdEncoding.EncodeToString([]byte(r.Sentence()))}, true
	case "password":
		return []string{r.Password(true, true, true, false, false, 16)}, true
	case "phone", "tel":
		return phones(r), true
	}
	return nil, false
}

// isImage reports names of pictures: avatar, image_url, photo, logo, ...
func isImage(h hint) bool {
	return h.has("avatar", "image", "img", "photo", "picture", "thumbnail", "logo", "icon", "banner", "cover")
}

// byName proposes values for common property names.
func (f *faker) byName(r *gofakeit.Faker, h hint, l lengthLimits) []string {
	switch {
	case len(h.words) == 0:
		return nil
	case isImage(h):
		if h.has("avatar") {
			return []string{"https://i.pravatar.cc/200?u=" + r.UUID()}
		}
		return []string{fmt.Sprintf("https://picsum.photos/seed/%s/640/480", r.UrlSlug(1))}
	case h.has("email", "mail"):
		return []string{r.Email()}
	case h.lastIs("url", "uri", "website", "homepage", "link", "href", "site"):
		return []string{r.URL()}
	case h.lastIs("id", "uuid", "guid") || h.is("key", "identifier"):
		return []string{r.UUID(), strconv.Itoa(1 + r.IntN(99999))}
	case h.is("first_name", "firstname", "given_name", "forename"):
		return []string{r.FirstName()}
	case h.is("last_name", "lastname", "family_name", "surname"):
		return []string{r.LastName()}
	case h.is("middle_name"):
		return []string{r.MiddleName()}
	case h.is("username", "user_name", "login", "handle", "screen_name", "nickname", "nick"):
		return []string{strings.ToLower(r.Username())}
	case h.is("company", "company_name", "organization", "organisation", "organization_name",
		"org_name", "employer", "business", "business_name"):
		return []string{r.Company()}
	case h.lastIs("name"):
		return f.names(r, h)
	case h.has("phone", "mobile", "telephone", "tel", "fax", "cell"):
		return phones(r)
	case h.has("city", "town"):
		return []string{r.City()}
	case h.has("country"):
		return countries(r, h, l)
	case h.has("zip", "zipcode", "postcode", "postal"):
		return []string{r.Zip()}
	case h.has("street", "line1", "address1") || h.is("address_line", "address_line_1"):
		return []string{r.Street()}
	case h.lastIs("address"):
		a := r.Address()
		return []string{a.Address, a.Street}
	case h.has("state", "province") && h.owner != "" && strings.Contains(h.owner, "address"):
		return []string{r.State(), r.StateAbr()}
	case isTimeName(h):
		t := f.moment(r, h)
		if h.lastIs("date", "day", "birthday", "dob", "birthdate") {
			return []string{t.Format(time.DateOnly)}
		}
		return []string{t.Format(time.RFC3339)}
	case h.has("description", "bio", "summary", "about", "details", "comment", "comments", "note", "notes",
		"text", "content", "body", "message", "reason", "caption", "excerpt", "instructions"):
		return []string{fitText(r, r.Sentence(), l), fitText(r, r.Comment(), l)}
	case h.has("title", "subject", "headline", "heading"):
		return []string{r.BookTitle(), titleCase(r.BuzzWord() + " " + r.Noun())}
	case h.lastIs("slug"):
		return []string{r.UrlSlug(3)}
	case h.has("currency"):
		return []string{r.CurrencyShort()}
	case h.has("color", "colour"):
		return []string{r.HexColor(), r.SafeColor()}
	case h.has("locale"):
		return []string{r.LanguageBCP()}
	case h.has("language", "lang"):
		return []string{r.LanguageAbbreviation()}
	case h.has("timezone", "tz") || h.is("time_zone"):
		return []string{r.TimeZoneRegion()}
	case h.lastIs("ip") || h.is("ip_address", "ipv4", "ip_addr"):
		return []string{r.IPv4Address()}
	case h.is("ipv6"):
		return []string{r.IPv6Address()}
	case h.lastIs("domain", "hostname", "host"):
		return []string{r.DomainName()}
	case h.is("user_agent", "useragent"):
		return []string{r.UserAgent()}
	case h.is("mime_type", "mimetype", "content_type", "media_type"):
		return []string{r.FileMimeType()}
	case h.has("password", "passphrase"):
		return []string{r.Password(true, true, true, false, false, 16)}
	case h.has("token", "secret") || h.is("api_key", "apikey", "access_key"):
		return []string{fmt.Sprintf("%016x%016x", r.Uint64(), r.Uint64())}
	case h.lastIs("version"):
		return []string{r.AppVersion()}
	case h.is("gender", "sex"):
		return []string{r.Gender()}
	case h.is("job_title", "occupation", "position", "job"):
		return []string{r.JobTitle()}
	case h.has("lat", "latitude"):
		return []string{strconv.FormatFloat(r.Latitude(), 'f', 6, 64)}
	case h.has("lng", "lon", "long", "longitude"):
		return []string{strconv.FormatFloat(r.Longitude(), 'f', 6, 64)}
	case h.has("price", "amount", "cost", "total", "subtotal", "balance", "fee"):
		return []string{strconv.FormatFloat(r.Price(1, 1000), 'f', 2, 64)}
	case h.has("tag", "keyword", "category", "label", "topic"):
		return []string{r.Noun(), r.BuzzWord()}
	}
	return nil
}

// names proposes a value for a property whose last word is name: what the
// rest of the name, or else the enclosing schema, says is named (a person,
// a company, a product, a file, ...), else two capitalised words.
func (f *faker) names(r *gofakeit.Faker, h hint) []string {
	of := strings.Join(h.words[:len(h.words)-1], "_")
	if of == "" {
		of = h.owner
	}
	switch {
	case of == "" || containsAny(of, "full", "display", "first", "contact", "author", "owner", "person", "user",
		"customer", "holder", "recipient", "sender", "member", "billing", "shipping", "given", "real",
		"profile", "employee", "people", "staff", "admin", "player", "patient", "student", "account",
		"creator", "assignee", "reviewer", "guest", "attendee", "invite", "signup"):
		return []string{r.Name()}
	case containsAny(of, "org", "company", "team", "workspace", "tenant", "business", "vendor", "merchant", "bank"):
		return []string{r.Company()}
	case containsAny(of, "product", "item", "sku"):
		return []string{r.ProductName()}
	case containsAny(of, "file", "folder", "directory", "document"):
		return []string{r.UrlSlug(2) + "." + r.FileExtension()}
	case containsAny(of, "city"):
		return []string{r.City()}
	case containsAny(of, "country"):
		return []string{r.Country()}
	}
	return []string{titleCase(r.BuzzWord() + " " + r.Noun())}
}

func containsAny(s string, parts ...string) bool {
	for _, p := range parts {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// phones proposes an E.164 number, then a formatted one, then digits only,
// so that one of them fits the usual patterns.
func phones(r *gofakeit.Faker) []string {
	digits := r.Phone()
	return []string{"+1" + digits, r.PhoneFormatted(), digits}
}

// countries proposes a country's name, or its ISO 3166 alpha-2 code first
// when the name says code or the length limits are short.
func countries(r *gofakeit.Faker, h hint, l lengthLimits) []string {
	name, code := r.Country(), r.CountryAbr()
	if h.has("code", "iso", "iso2", "alpha2") || (l.max >= 0 && l.max <= 3) {
		return []string{code, name}
	}
	return []string{name, code}
}

// isTimeName reports names of instants: created_at, updatedAt, timestamp,
// expires, birth_date, ...
func isTimeName(h hint) bool {
	return h.lastIs("at", "on", "time", "timestamp", "datetime", "date", "birthday", "dob", "birthdate",
		"expires", "expiry", "expiration", "until", "deadline", "since") ||
		h.is("created", "updated", "modified", "deleted", "published", "started", "finished", "completed")
}

// moment is the instant for a date or date-time: within 30 days before the
// day of Options.Now, ordered by what the name says (created_at before
// updated_at), after it for expiries and deadlines, decades before it for
// birth dates. Values are whole seconds in UTC.
func (f *faker) moment(r *gofakeit.Faker, h hint) time.Time {
	const day = 24 * time.Hour
	within := func(d time.Duration) time.Duration {
		return time.Duration(r.IntN(int(d/time.Second))) * time.Second
	}
	switch {
	case h.has("birthday", "dob", "birthdate", "birth"):
		return f.day.AddDate(-18-r.IntN(60), 0, -r.IntN(365))
	case h.has("expires", "expiry", "expiration", "until", "deadline", "due", "after", "end", "ends",
		"next", "scheduled", "renews", "renewal", "valid"):
		return f.day.Add(day + within(30*day))
	case h.has("created", "registered", "joined", "started", "start", "since", "issued"):
		return f.day.Add(-10*day - within(20*day))
	case h.has("updated", "modified", "last", "seen", "changed", "edited"):
		return f.day.Add(-within(10 * day))
	}
	return f.day.Add(-within(30 * day))
}

// fitText fits a text to the length limits: cut at a word boundary when too
// long, extended with more words when too short.
func fitText(r *gofakeit.Faker, text string, l lengthLimits) string {
	for i := 0; i < 64 && utf8.RuneCountInString(text) < l.min; i++ {
		text += " " + r.Noun()
	}
	if l.max < 0 || utf8.RuneCountInString(text) <= l.max {
		return text
	}
	runes := []rune(text)[:l.max]
	cut := string(runes)
	if i := strings.LastIndexByte(cut, ' '); i > 0 && utf8.RuneCountInString(cut[:i]) >= l.min {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:-")
}

func titleCase(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		r, n := utf8.DecodeRuneInString(w)
		ws[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(ws, " ")
}

// plausibleNumber draws a number within the schema's bounds and a range
// that suits the name (ids from 1, latitudes within ±90, prices with
// cents, timestamps near Now), on the multipleOf grid; when the draw does
// not fit, Value's rule builds it.
func (g *generator) plausibleNumber(f *faker, s *openapi3.Schema, integer bool, variant int) (any, error) {
	step, err := stepOf(s.MultipleOf, integer)
	if err != nil {
		return nil, err
	}
	r := f.rand(g.at, variant)
	lo, hi, quantum := f.numberRange(r, newHint(g.name, g.owner), integer)
	if step != nil {
		quantum = step
	}
	// The schema's own bounds shape the draw; int32 and int64 only check
	// it (their limits are no hint of a plausible value).
	b := boundsOf(s)
	all := b.withFormat(s.Format)
	point, clamped := lo.Cmp(hi) == 0, false
	if b.lo != nil && b.lo.Cmp(lo) > 0 {
		lo, clamped = b.lo, true
	}
	if b.hi != nil && b.hi.Cmp(hi) < 0 {
		hi, clamped = b.hi, true
	}
	tenSteps := new(big.Rat).Mul(quantum, big.NewRat(10, 1))
	if lo.Cmp(hi) > 0 || clamped && !point && new(big.Rat).Sub(hi, lo).Cmp(tenSteps) < 0 {
		// The plausible range misses the bounds, or barely touches them:
		// draw within them, or near the one there is.
		width := new(big.Rat).Mul(quantum, big.NewRat(100, 1))
		switch {
		case b.lo != nil && b.hi != nil:
			lo, hi = b.lo, b.hi
		case b.lo != nil:
			lo, hi = b.lo, new(big.Rat).Add(b.lo, width)
		default:
			lo, hi = new(big.Rat).Sub(b.hi, width), b.hi
		}
	}
	kLo := ceil(new(big.Rat).Quo(lo, quantum)).Num()
	kHi := floor(new(big.Rat).Quo(hi, quantum)).Num()
	if kLo.Cmp(kHi) <= 0 {
		span := new(big.Int).Sub(kHi, kLo)
		span.Add(span, big.NewInt(1))
		for range 3 {
			// Spans are small but for bounds far apart with no plausible
			// range inside them; a draw among the first 2³¹ steps is plenty.
			pick := int64(1<<31 - 1)
			if span.IsInt64() && span.Int64() < pick {
				pick = span.Int64()
			}
			k := new(big.Int).Add(kLo, big.NewInt(int64(r.IntN(int(pick)))))
			v := new(big.Rat).Mul(new(big.Rat).SetInt(k), quantum)
			if all.allows(v) && numberMayMatch(s, v) {
				return json.Number(decimal(v)), nil
			}
		}
	}
	return number(s, integer, variant)
}

// numberRange is the plausible range and spacing of a number named as h
// says.
func (f *faker) numberRange(r *gofakeit.Faker, h hint, integer bool) (lo, hi, quantum *big.Rat) {
	ints := func(a, b int64) (*big.Rat, *big.Rat, *big.Rat) {
		return big.NewRat(a, 1), big.NewRat(b, 1), big.NewRat(1, 1)
	}
	decimals := func(a, b int64, places int64) (*big.Rat, *big.Rat, *big.Rat) {
		if integer {
			return ints(a, b)
		}
		q := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(places), nil))
		return big.NewRat(a, 1), big.NewRat(b, 1), q
	}
	switch {
	case isTimeName(h) && !h.lastIs("date", "day"):
		t := f.moment(r, h).Unix()
		switch {
		case h.has("ms", "millis", "milliseconds"):
			t *= 1000
		case h.has("ns", "nanos", "nanoseconds"):
			t *= 1_000_000_000
		}
		return ints(t, t)
	case h.lastIs("id") || h.is("key", "identifier"):
		return ints(1, 99999)
	case h.has("lat", "latitude"):
		return decimals(-90, 90, 6)
	case h.has("lng", "lon", "long", "longitude"):
		return decimals(-180, 180, 6)
	case h.has("price", "amount", "cost", "total", "subtotal", "balance", "fee", "salary", "revenue"):
		return decimals(1, 1000, 2)
	case h.has("age"):
		return ints(18, 80)
	case h.has("year"):
		return ints(2000, int64(f.day.Year()))
	case h.has("month"):
		return ints(1, 12)
	case h.lastIs("day"):
		return ints(1, 28)
	case h.lastIs("hour", "hours"):
		return ints(0, 23)
	case h.lastIs("minute", "minutes", "second", "seconds"):
		return ints(0, 59)
	case h.lastIs("page"):
		return ints(1, 5)
	case h.has("limit", "per", "size") && h.has("page", "limit"):
		n := []int64{10, 20, 25, 50, 100}[r.IntN(5)]
		return ints(n, n)
	case h.has("offset", "skip"):
		return ints(0, 100)
	case h.has("percent", "percentage", "progress"):
		return decimals(0, 100, 1)
	case h.has("rating", "stars"):
		return decimals(1, 5, 1)
	case h.has("temperature", "ratio", "probability", "top", "weight"):
		return decimals(0, 1, 2)
	case h.has("port"):
		return ints(1024, 65535)
	case h.has("ms", "timeout", "latency", "duration", "elapsed"):
		return ints(50, 5000)
	case h.has("tokens"):
		return ints(16, 4096)
	case h.has("count", "total", "quantity", "qty", "number", "num"):
		return ints(1, 100)
	}
	return decimals(1, 1000, 2)
}
