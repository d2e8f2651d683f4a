package specgen

import (
	"fmt"
	"strings"
)

// Realistic returns an OpenAPI 3.1 document (YAML) with n operations
// shaped like a large public API rather than like Document's minimal
// resources: deep $ref chains (an id that is a $ref to a $ref to a
// pattern; a resource's parent, a summary whose parent is another's
// summary, seven deep; an owner that is a user, a profile, an address, a
// point), oneOf and anyOf unions with discriminators (events, payment
// sources, errors), allOf composition (every resource extends a base, every
// list a page), nested objects and arrays, query, header and path
// parameters, response headers, long markdown descriptions, and examples
// at every level (properties, request bodies, responses, named ones), all
// valid. About 10 KB per operation: Realistic(300) is about 3 MB. The same
// n gives the same bytes.
func Realistic(n int) []byte {
	var b strings.Builder
	writeYAML(&b, newRealistic(n).document())
	return []byte(b.String())
}

// RealisticPath returns a GET request path for operation i of a
// Realistic document (a resource's list, or one of its items), which
// answers 200 with the header x-arklow-auth set.
func RealisticPath(i int) string {
	r := newResource(i / opsPerResource)
	if i%opsPerResource < 2 {
		return "/v1/" + r.plural
	}
	return "/v1/" + r.plural + "/" + objectID(r.prefix, 1)
}

// realistic builds one document.
type realistic struct {
	res []*resource
}

// resource is one REST resource: its five operations and its schemas.
type resource struct {
	i      int
	name   string // tax_rate
	plural string // tax_rates
	title  string // TaxRate: its schemas' names
	human  string // tax rate: its descriptions' words
	prefix string // its ids' prefix: taxr
	ops    int    // its operations (5, fewer for the last resource)
	next   *resource
	states []string
	props  []prop
}

// prop is one property of a resource's schema, with a valid example.
type prop struct {
	name     string
	schema   m
	example  any
	required bool // in the resource
	input    bool // also in the create and update bodies
}

// nouns name the resources; past their end, names repeat with a number.
var nouns = []string{
	"account", "invoice", "customer", "subscription", "payment", "refund", "payout", "transfer",
	"product", "price", "coupon", "discount", "order", "shipment", "dispute", "charge",
	"balance_transaction", "card", "bank_account", "mandate", "quote", "credit_note", "tax_rate", "tax_id",
	"webhook_endpoint", "file", "report_run", "plan", "usage_record", "meter", "checkout_session", "review",
	"promotion_code", "location", "reader", "cardholder", "authorization", "transaction", "token", "source",
	"topup", "application_fee", "country_spec", "exchange_rate", "payment_link", "setup_intent", "payment_intent", "invoice_item",
	"line_item", "person", "capability", "external_account", "login_link", "financial_account", "inbound_transfer", "outbound_payment",
	"received_credit", "debit_reversal", "verification_session", "value_list", "early_fraud_warning", "reporting_category", "shipping_rate", "tax_code",
}

// chain is how many resources' summaries name the next one's: the depth
// of the parent chains.
const chain = 7

func newRealistic(n int) *realistic {
	g := &realistic{}
	for i := 0; i < n; i += opsPerResource {
		r := newResource(i / opsPerResource)
		r.ops = min(opsPerResource, n-i)
		g.res = append(g.res, r)
	}
	for i, r := range g.res {
		if (i+1)%chain != 0 && i+1 < len(g.res) {
			r.next = g.res[i+1]
		}
		r.props = r.properties()
	}
	return g
}

func newResource(i int) *resource {
	name := nouns[i%len(nouns)]
	if k := i / len(nouns); k > 0 {
		name = fmt.Sprintf("%s_v%d", name, k+1)
	}
	r := &resource{i: i, name: name, plural: plural(name)}
	for w := range strings.SplitSeq(name, "_") {
		r.title += strings.ToUpper(w[:1]) + w[1:]
	}
	r.human = strings.ReplaceAll(name, "_", " ")
	r.prefix = strings.ReplaceAll(name, "_", "")[:4]
	r.states = [][]string{
		{"draft", "open", "paid", "void", "uncollectible"},
		{"pending", "active", "past_due", "canceled"},
		{"requires_action", "processing", "succeeded", "failed", "canceled", "refunded"},
		{"enabled", "disabled"},
	}[i%4]
	return r
}

func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "y") && !strings.HasSuffix(s, "ey"):
		return s[:len(s)-1] + "ies"
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "ch"):
		return s + "es"
	}
	return s + "s"
}

// ref is a $ref to a component.
func ref(kind, name string) m { return mp("$ref", "#/components/"+kind+"/"+name) }

func schemaRef(name string) m { return ref("schemas", name) }

// objectID is an id of the kind prefix, the kth (all of Identifier's pattern).
func objectID(prefix string, k int) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var b strings.Builder
	b.WriteString(prefix + "_")
	x := uint64(k)*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019
	for range 14 {
		x ^= x >> 29
		x *= 0xbf58476d1ce4e5b9
		b.WriteByte(alphabet[x%uint64(len(alphabet))])
	}
	return b.String()
}

// timestamp is the kth example date-time.
func timestamp(k int) string {
	return fmt.Sprintf("2026-%02d-%02dT%02d:%02d:00Z", 1+k%12, 1+k%28, k%24, (k*7)%60)
}

// sentences make descriptions long, as real documents' are.
var sentences = []string{
	"It is set when the object is created and does not change afterwards.",
	"Clients should treat the value as opaque and must not parse it or rely on its length.",
	"The value is returned in every response that includes the object, unless the API key used lacks the read scope for it.",
	"Changes to this field are recorded in the audit log and sent as events to every webhook endpoint subscribed to them.",
	"When the field is left out of a request, the account's default applies, and the default can be changed in the dashboard.",
	"Values longer than the documented maximum are refused with a validation error that names the field.",
	"The field can be searched through the search endpoints, whose index is refreshed within a minute of a change.",
	"Older API versions returned this field under another name, and requests pinned to those versions still see that name.",
	"Sandbox accounts return fixed values here so that tests can make exact assertions on them.",
	"For objects created before the field existed, the value was filled in from the closest setting that existed then.",
	"The field is translated according to the Accept-Language header of the request when a translation exists.",
	"Integrations should not depend on the order of the values, which may change without notice.",
	"The value may be null for a short time after creation, while the object is still being processed in the background.",
	"Reports and exports include the field from the day it was introduced, and leave it empty for earlier periods.",
}

// describe is what, followed by k sentences picked by seed.
func describe(what string, seed, k int) string {
	parts := []string{what}
	for j := range k {
		parts = append(parts, sentences[(seed*5+j*3)%len(sentences)])
	}
	return strings.Join(parts, " ")
}

// paragraphs make the operations' markdown descriptions; {name} is the
// resource's human name, {plural} its plural path segment.
var paragraphs = []string{
	"Every {name} belongs to exactly one merchant account, and the API only ever shows the {plural} of the account whose key makes the request. Connected accounts are reached with the account header, as described in the guide to platforms.",
	"Requests are idempotent when they carry an `Idempotency-Key` header: a retry with the same key within 24 hours returns the first answer, status and body, instead of acting twice. Keys are scoped to the account and to the endpoint.",
	"The answer is a {name} object as described below. Fields that were added in later API versions are present only when the request is pinned to such a version, either by the account's default version or by the version header.",
	"Lists are paginated with cursors: pass the id of the last object you received as `starting_after` to get the next page, or the first as `ending_before` to go back. The `has_more` field says whether another page exists.",
	"Rate limits apply per account and per endpoint. Every answer carries the `X-RateLimit-Limit` and `X-RateLimit-Remaining` headers; a request over the limit is answered with `429` and a `Retry-After` header, in seconds.",
	"Some fields of a {name} are expandable: they hold an id by default, and the full object when the request names them in `expand`. Expanding costs an extra lookup per object, so lists expand at most four levels deep.",
	"Errors follow the same envelope everywhere: an `error` object whose `type` says which kind of error it is, with a human readable `message` and, for validation errors, one entry per field in `details`.",
	"Changes to {plural} are sent as events, such as `{name}.created` and `{name}.updated`, to webhook endpoints. Events are delivered at least once and may arrive out of order: use the `created_at` timestamp to order them.",
	"In test mode the endpoint behaves exactly as in live mode, but no money moves and no email is sent. Test mode objects are kept for 90 days and can be deleted at any time from the dashboard.",
	"The `metadata` object stores up to 50 keys of your own, with values of up to 500 characters. It is never interpreted by the API and is a good place for the ids of your own system.",
}

// operationDoc is a markdown description of k paragraphs.
func (r *resource) operationDoc(lead string, seed, k int) block {
	parts := []string{lead}
	for j := range k {
		words := strings.NewReplacer("{name}", r.human, "{plural}", r.plural)
		parts = append(parts, words.Replace(paragraphs[(seed+j*7)%len(paragraphs)]))
	}
	return block(strings.Join(parts, "\n\n"))
}

func (g *realistic) document() m {
	paths := m{}
	tags := seq{}
	for _, r := range g.res {
		paths = append(paths, r.paths()...)
		tags = append(tags, mp("name", r.plural, "description", describe(fmt.Sprintf("Create and manage %s.", r.plural), r.i, 3)))
	}
	return mp(
		"openapi", "3.1.0",
		"info", mp(
			"title", "Synthetic realistic API",
			"version", "2026-11-25",
			"description", block(strings.Join([]string{
				"A synthetic document with the shapes of a large public API, for measuring how the mock starts up.",
				"## Authentication\n\nRequests carry an API key in the `x-arklow-auth` header, or a bearer token.",
				"## Versioning\n\nFields that were added in later API versions are present only when the request is pinned to such a version, either by the account's default version or by the version header.",
				"## Pagination\n\n" + paragraphs[3],
				"## Errors\n\n" + paragraphs[6],
			}, "\n\n")),
			"contact", mp("name", "API support", "email", "support@example.com"),
			"license", mp("name", "Apache 2.0", "identifier", "Apache-2.0"),
		),
		"servers", seq{mp("url", "http://localhost:3123", "description", "Local development")},
		"security", seq{mp("apiKey", seq{}), mp("bearer", seq{})},
		"tags", tags,
		"paths", paths,
		"components", g.components(),
	)
}

// paths are the resource's path items: the collection and one item.
func (r *resource) paths() m {
	coll := m{}
	coll = append(coll, kv{"get", r.listOp()})
	if r.ops >= 2 {
		coll = append(coll, kv{"post", r.createOp()})
	}
	out := mp("/v1/"+r.plural, coll)
	if r.ops < 3 {
		return out
	}
	item := mp("parameters", seq{ref("parameters", "ObjectIdPath")}, "get", r.getOp())
	if r.ops >= 4 {
		item = append(item, kv{"patch", r.updateOp()})
	}
	if r.ops >= 5 && r.i%2 == 0 {
		item = append(item, kv{"delete", r.deleteOp()})
	}
	out = append(out, kv{"/v1/" + r.plural + "/{id}", item})
	if r.ops >= 5 && r.i%2 == 1 {
		events := mp("parameters", seq{ref("parameters", "ObjectIdPath")}, "get", r.eventsOp())
		out = append(out, kv{"/v1/" + r.plural + "/{id}/events", events})
	}
	return out
}

// answer is a 2xx response: its headers, schema and examples.
func answer(desc string, schema m, examples ...any) m {
	media := mp("schema", schema).with(examples...)
	return mp(
		"description", desc,
		"headers", mp(
			"X-Request-Id", ref("headers", "RequestId"),
			"X-RateLimit-Limit", ref("headers", "RateLimitLimit"),
			"X-RateLimit-Remaining", ref("headers", "RateLimitRemaining"),
		),
		"content", mp("application/json", media),
	)
}

// responses are an operation's responses: its success, and the shared
// error responses for the codes errs.
func responses(code string, success m, errs ...string) m {
	names := map[string]string{"400": "BadRequest", "401": "Unauthorized", "404": "NotFound", "409": "Conflict", "429": "RateLimited"}
	out := mp(code, success)
	for _, c := range errs {
		out = append(out, kv{c, ref("responses", names[c])})
	}
	return out
}

func (r *resource) op(id, summary string, seed int) m {
	return mp(
		"operationId", id,
		"summary", summary,
		"description", r.operationDoc(summary+".", r.i*5+seed, 4),
		"tags", seq{r.plural},
	)
}

func (r *resource) listOp() m {
	first := r.list([]any{r.example(1), r.example(2)}, true)
	return r.op("list_"+r.plural, "List "+r.human+" objects", 0).with(
		"parameters", seq{
			ref("parameters", "Limit"), ref("parameters", "StartingAfter"), ref("parameters", "EndingBefore"),
			ref("parameters", "CreatedAfter"), ref("parameters", "Expand"),
			mp("name", "status", "in", "query", "description", describe("Only "+r.plural+" in this status.", r.i, 1), "schema", schemaRef(r.title+"Status")),
		},
		"responses", responses("200", answer("A page of "+r.plural+".", schemaRef(r.title+"List"),
			"examples", mp(
				"first_page", mp("summary", "The first page", "value", first),
				"empty", mp("summary", "No "+r.plural+" yet", "value", r.list([]any{}, false)),
			)), "400", "401", "429"),
	)
}

func (r *resource) createOp() m {
	return r.op("create_"+r.name, "Create a "+r.human, 1).with(
		"parameters", seq{ref("parameters", "IdempotencyKey"), ref("parameters", "ApiVersion")},
		"requestBody", mp(
			"required", true,
			"description", describe("The "+r.human+" to create.", r.i, 2),
			"content", mp("application/json", mp("schema", schemaRef(r.title+"Input"), "example", r.input(1, true))),
		),
		"responses", responses("201", answer("The "+r.human+", created.", schemaRef(r.title), "example", r.example(1)), "400", "401", "409", "429"),
	)
}

func (r *resource) getOp() m {
	return r.op("get_"+r.name, "Retrieve a "+r.human, 2).with(
		"parameters", seq{ref("parameters", "Expand")},
		"responses", responses("200", answer("The "+r.human+".", schemaRef(r.title), "example", r.example(1)), "401", "404", "429"),
	)
}

func (r *resource) updateOp() m {
	return r.op("update_"+r.name, "Update a "+r.human, 3).with(
		"parameters", seq{ref("parameters", "IdempotencyKey")},
		"requestBody", mp(
			"required", true,
			"description", describe("The fields to change; the others keep their values.", r.i, 2),
			"content", mp("application/json", mp("schema", schemaRef(r.title+"Update"), "example", r.input(2, false))),
		),
		"responses", responses("200", answer("The "+r.human+", updated.", schemaRef(r.title)), "400", "401", "404", "409"),
	)
}

func (r *resource) deleteOp() m {
	return r.op("delete_"+r.name, "Delete a "+r.human, 4).with(
		"responses", responses("200", answer("The "+r.human+" is deleted.", schemaRef("DeletedObject"),
			"example", mp("id", objectID(r.prefix, 1), "object", r.name, "deleted", true)), "401", "404"),
	)
}

func (r *resource) eventsOp() m {
	events := mp(
		"type", "object",
		"required", seq{"object", "data", "has_more"},
		"properties", mp(
			"object", mp("const", "list"),
			"data", mp("type", "array", "maxItems", 100, "items", schemaRef(r.title+"Event")),
			"has_more", mp("type", "boolean"),
		),
	)
	return r.op("list_"+r.name+"_events", "List the events of a "+r.human, 4).with(
		"parameters", seq{ref("parameters", "Limit")},
		"responses", responses("200", answer("The "+r.human+"'s events, most recent first.", events), "401", "404"),
	)
}

// properties picks the resource's properties: the common ones, and some
// of the others, by its index.
func (r *resource) properties() []prop {
	k := r.i
	props := []prop{
		{name: "name", required: true, input: true, schema: mp("type", "string", "minLength", 1, "maxLength", 200,
			"description", describe("The "+r.human+"'s name, shown to customers.", k, 2), "example", r.title+" one"), example: r.title + " one"},
		{name: "status", required: true, schema: schemaRef(r.title + "Status"), example: r.states[0]},
		{name: "amount", required: true, input: true, schema: schemaRef("Money"), example: money(k)},
		{name: "owner", schema: schemaRef("UserRef"), example: userRef(k)},
		{name: "items", schema: mp("type", "array", "maxItems", 50, "description", describe("The "+r.human+"'s lines.", k+1, 2),
			"items", schemaRef(r.title+"Line")), example: seq{r.item(1), r.item(2)}},
		{name: "tags", input: true, schema: mp("type", "array", "uniqueItems", true, "maxItems", 20, "description", describe("Labels.", k+2, 1),
			"items", mp("type", "string", "minLength", 1, "maxLength", 40)), example: seq{"priority", "q" + fmt.Sprint(1+k%4)}},
	}
	if r.next != nil {
		props = append(props, prop{name: "parent", schema: mp("description", describe("The "+r.next.human+" this "+r.human+" belongs to.", k, 2),
			"anyOf", seq{schemaRef(r.next.title + "Summary"), mp("type", "null")}), example: r.next.summary(k, 2)})
	}
	extras := []prop{
		{name: "description", input: true, schema: mp("description", describe("An arbitrary string, for your own use.", k, 1),
			"anyOf", seq{mp("type", "string", "maxLength", 5000), mp("type", "null")}), example: "Created from the onboarding flow."},
		{name: "shipping", input: true, schema: shippingSchema(k), example: shipping(k)},
		{name: "settings", input: true, schema: settingsSchema(k), example: settings(k)},
		{name: "source", schema: schemaRef("PaymentSource"), example: source(k)},
		{name: "url", schema: mp("type", "string", "format", "uri", "description", describe("Where the "+r.human+" can be seen in the dashboard.", k, 1)),
			example: "https://dashboard.example.com/" + r.plural + "/" + objectID(r.prefix, 1)},
		{name: "contact_email", input: true, schema: mp("type", "string", "format", "email", "maxLength", 320, "description", describe("Who is told about changes.", k, 1),
			"example", "billing@example.com"), example: "billing@example.com"},
		{name: "quantity", input: true, schema: mp("type", "integer", "minimum", 1, "maximum", 10000, "default", 1, "description", describe("How many.", k, 1)), example: 3},
		{name: "rate", input: true, schema: mp("type", "number", "minimum", 0, "maximum", 100, "description", describe("A percentage.", k, 1)), example: 12.5},
		{name: "expires_at", schema: mp("description", describe("When the "+r.human+" expires, if it does.", k, 1),
			"anyOf", seq{schemaRef("Timestamp"), mp("type", "null")}), example: nil},
		{name: "billing_details", input: true, schema: mp(
			"type", "object",
			"description", describe("Who pays, and where they are.", k, 2),
			"properties", mp(
				"name", mp("type", "string", "maxLength", 200, "description", describe("The payer's full name.", k+1, 1)),
				"email", mp("type", "string", "format", "email", "description", describe("Where receipts are sent.", k+2, 1)),
				"phone", mp("type", "string", "pattern", `^\+[1-9][0-9]{6,14}$`, "description", describe("In E.164 format.", k+3, 1)),
				"address", schemaRef("Address"),
				"tax_ids", mp("type", "array", "maxItems", 5, "items", mp(
					"type", "object", "required", seq{"type", "value"},
					"properties", mp("type", mp("type", "string", "enum", seq{"eu_vat", "gb_vat", "us_ein"}), "value", mp("type", "string", "maxLength", 40)))),
			),
		), example: mp("name", "Ada Lovelace", "email", "ada@example.com", "phone", "+353402912345", "address", address(k),
			"tax_ids", seq{mp("type", "eu_vat", "value", "IE6388047V")})},
		{name: "schedule", schema: mp(
			"description", describe("How often the "+r.human+" recurs, if it does.", k, 2),
			"anyOf", seq{mp(
				"type", "object", "required", seq{"interval"},
				"properties", mp(
					"interval", mp("type", "string", "enum", seq{"day", "week", "month", "year"}),
					"interval_count", mp("type", "integer", "minimum", 1, "maximum", 365, "default", 1),
					"anchor", schemaRef("Timestamp"),
				),
			), mp("type", "null")},
		), example: mp("interval", "month", "interval_count", 1, "anchor", timestamp(k))},
	}
	for j, p := range extras {
		if (k+j)%4 != 0 { // three quarters of them
			props = append(props, p)
		}
	}
	return props
}

// example is the kth example of the resource.
func (r *resource) example(k int) m {
	out := mp(
		"id", objectID(r.prefix, k),
		"object", r.name,
		"created_at", timestamp(r.i+k),
		"updated_at", timestamp(r.i+k+1),
		"livemode", false,
		"metadata", mp("order_ref", fmt.Sprintf("A-%d", 1000+r.i*10+k)),
	)
	for _, p := range r.props {
		out = append(out, kv{p.name, p.example})
	}
	return out
}

// input is an example of the create (all: the required properties too) or
// the update body.
func (r *resource) input(k int, all bool) m {
	out := m{}
	for _, p := range r.props {
		if p.input && (all || !p.required || p.name == "name") {
			out = append(out, kv{p.name, p.example})
		}
	}
	return append(out, kv{"metadata", mp("order_ref", fmt.Sprintf("A-%d", 1000+r.i*10+k))})
}

func (r *resource) item(k int) m {
	return mp(
		"id", objectID(r.prefix, 100+k),
		"description", fmt.Sprintf("%s line %d", r.title, k),
		"quantity", k,
		"unit_amount", money(r.i+k),
		"period", mp("start", timestamp(k), "end", timestamp(k+1)),
	)
}

// summary is an example summary, with depth more levels of parents.
func (r *resource) summary(k, depth int) m {
	out := mp("id", objectID(r.prefix, k), "name", r.title+" one", "status", r.states[0])
	if r.next != nil && depth > 0 {
		out = append(out, kv{"parent", r.next.summary(k, depth-1)})
	}
	return out
}

func (r *resource) list(data []any, more bool) m {
	cursor := any(nil)
	if more {
		cursor = objectID(r.prefix, 2)
	}
	return mp("has_more", more, "next_cursor", cursor, "total_count", len(data)*7, "object", "list", "data", seq(data))
}

func money(k int) m {
	return mp("amount", 1250+k*100, "currency", []string{"eur", "usd", "gbp"}[k%3])
}

func userRef(k int) any {
	if k%2 == 0 {
		return objectID("usr", k)
	}
	return mp(
		"id", objectID("usr", k), "object", "user", "created_at", timestamp(k), "updated_at", nil, "livemode", false,
		"metadata", m{},
		"email", "ada@example.com",
		"profile", mp("display_name", "Ada Lovelace", "avatar_url", "https://cdn.example.com/avatars/ada.png", "locale", "en-GB",
			"address", address(k)),
	)
}

func address(k int) m {
	return mp("line1", fmt.Sprintf("%d Harbour Road", 1+k%90), "line2", nil, "city", "Arklow", "postal_code", "Y14 X123", "country", "IE",
		"location", mp("lat", 52.7979, "lng", -6.1599))
}

func shipping(k int) m {
	return mp("name", "Ada Lovelace", "address", address(k), "carrier", "An Post", "tracking_number", nil)
}

func settings(k int) m {
	return mp(
		"notifications", mp("email", true, "sms", k%2 == 0, "channels", seq{"email", "webhook"}),
		"limits", mp("daily", 1000, "monthly", 25000),
		"retention", mp("days", 90, "policy", "archive"),
	)
}

func source(k int) m {
	switch k % 3 {
	case 0:
		return mp("kind", "card", "brand", "visa", "last4", "4242", "exp_month", 12, "exp_year", 2030)
	case 1:
		return mp("kind", "bank_account", "bank_name", "Bank of Arklow", "iban_last4", "0001", "account_holder", "Ada Lovelace")
	}
	return mp("kind", "wallet", "provider", "apple_pay", "email", "ada@example.com")
}

func shippingSchema(k int) m {
	return mp(
		"type", "object",
		"description", describe("Where to ship physical goods.", k, 2),
		"required", seq{"name", "address"},
		"properties", mp(
			"name", mp("type", "string", "maxLength", 200),
			"address", schemaRef("Address"),
			"carrier", mp("type", "string", "maxLength", 100, "description", describe("The carrier.", k, 1)),
			"tracking_number", mp("anyOf", seq{mp("type", "string", "maxLength", 100), mp("type", "null")}),
		),
	)
}

func settingsSchema(k int) m {
	return mp(
		"type", "object",
		"description", describe("How the object behaves.", k, 2),
		"properties", mp(
			"notifications", mp(
				"type", "object",
				"properties", mp(
					"email", mp("type", "boolean", "default", true),
					"sms", mp("type", "boolean", "default", false),
					"channels", mp("type", "array", "uniqueItems", true, "items", mp("type", "string", "enum", seq{"email", "sms", "webhook", "push"})),
				),
			),
			"limits", mp(
				"type", "object",
				"required", seq{"daily"},
				"properties", mp(
					"daily", mp("type", "integer", "minimum", 0, "maximum", 1000000),
					"monthly", mp("type", "integer", "minimum", 0, "maximum", 100000000),
				),
			),
			"retention", mp(
				"type", "object",
				"properties", mp(
					"days", mp("type", "integer", "minimum", 1, "maximum", 3650),
					"policy", mp("type", "string", "enum", seq{"delete", "archive"}),
				),
			),
		),
	)
}

// schemas are the resource's component schemas.
func (r *resource) schemas() m {
	t := r.title
	props, input := m{}, m{}
	var required seq
	for _, p := range r.props {
		props = append(props, kv{p.name, p.schema})
		if p.required {
			required = append(required, p.name)
		}
		if p.input {
			input = append(input, kv{p.name, p.schema})
		}
	}
	input = append(input, kv{"metadata", schemaRef("Metadata")})
	summary := mp(
		"id", schemaRef(t+"Id"),
		"name", mp("type", "string", "maxLength", 200),
		"status", schemaRef(t+"Status"),
	)
	if r.next != nil {
		summary = append(summary, kv{"parent", schemaRef(r.next.title + "Summary")})
	}
	event := func(kind string, data m, extra ...any) m {
		return mp(
			"type", "object",
			"description", describe(fmt.Sprintf("Sent when a %s is %s.", r.human, kind), r.i, 2),
			"required", seq{"type", "id", "created_at", "data"},
			"properties", mp(
				"type", mp("const", r.name+"."+kind),
				"id", schemaRef("ObjectId"),
				"created_at", schemaRef("Timestamp"),
				"data", data,
			).with(extra...),
		)
	}
	return mp(
		t+"Id", mp("$ref", "#/components/schemas/ObjectId", "description", "The id of a "+r.human+"."),
		t+"Status", mp("type", "string", "enum", toSeq(r.states), "description", describe("The state of a "+r.human+".", r.i, 3)),
		t, mp(
			"description", describe("A "+r.human+".", r.i, 3),
			"allOf", seq{schemaRef("Resource"), mp("type", "object", "required", required, "properties", props)},
		),
		t+"Line", mp(
			"type", "object",
			"description", describe("One line of a "+r.human+".", r.i, 2),
			"required", seq{"id", "description", "quantity", "unit_amount"},
			"properties", mp(
				"id", schemaRef(t+"Id"),
				"description", mp("type", "string", "maxLength", 500, "description", describe("What the line is for.", r.i+1, 1)),
				"quantity", mp("type", "integer", "minimum", 1, "description", describe("How many units.", r.i+2, 1)),
				"unit_amount", schemaRef("Money"),
				"period", mp("type", "object", "required", seq{"start", "end"}, "properties", mp("start", schemaRef("Timestamp"), "end", schemaRef("Timestamp"))),
			),
		),
		t+"Summary", mp(
			"type", "object",
			"description", describe("The short form of a "+r.human+", as other objects embed it.", r.i, 1),
			"required", seq{"id", "name", "status"},
			"properties", summary,
		),
		t+"Input", mp(
			"type", "object",
			"description", describe("What a new "+r.human+" is made of.", r.i, 2),
			"required", seq{"name", "amount"},
			"additionalProperties", false,
			"properties", input,
		),
		t+"Update", mp(
			"type", "object",
			"description", describe("The fields of a "+r.human+" that can change.", r.i, 2),
			"minProperties", 1,
			"additionalProperties", false,
			"properties", input,
		),
		t+"List", mp(
			"description", "A page of "+r.plural+".",
			"allOf", seq{schemaRef("PageInfo"), mp(
				"type", "object",
				"required", seq{"object", "data"},
				"properties", mp("object", mp("const", "list"), "data", mp("type", "array", "items", schemaRef(t))),
			)},
		),
		t+"Created", event("created", schemaRef(t)),
		t+"Updated", event("updated", schemaRef(t), "previous_attributes", mp("type", "object", "description", "The changed fields' former values.")),
		t+"Deleted", event("deleted", schemaRef(t+"Summary")),
		t+"Event", mp(
			"description", "An event about a "+r.human+".",
			"oneOf", seq{schemaRef(t + "Created"), schemaRef(t + "Updated"), schemaRef(t + "Deleted")},
			"discriminator", mp("propertyName", "type", "mapping", mp(
				r.name+".created", "#/components/schemas/"+t+"Created",
				r.name+".updated", "#/components/schemas/"+t+"Updated",
				r.name+".deleted", "#/components/schemas/"+t+"Deleted",
			)),
		),
	)
}

func toSeq(ss []string) seq {
	out := make(seq, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func (g *realistic) components() m {
	schemas := sharedSchemas()
	for _, r := range g.res {
		schemas = append(schemas, r.schemas()...)
	}
	errorExample := func(typ, code, message string) m {
		return mp("error", mp("type", typ, "code", code, "message", message, "request_id", "req_4Kp9Xz2mQa1B"))
	}
	errResponse := func(desc string, ex m, headers ...any) m {
		return mp(
			"description", desc,
			"headers", mp("X-Request-Id", ref("headers", "RequestId")).with(headers...),
			"content", mp("application/json", mp("schema", schemaRef("ErrorEnvelope"), "example", ex)),
		)
	}
	return mp(
		"securitySchemes", mp(
			"apiKey", mp("type", "apiKey", "in", "header", "name", "x-arklow-auth", "description", describe("A secret API key.", 1, 2)),
			"bearer", mp("type", "http", "scheme", "bearer", "description", describe("An OAuth access token.", 2, 2)),
		),
		"parameters", mp(
			"Limit", mp("name", "limit", "in", "query", "description", describe("How many objects to return, between 1 and 100.", 3, 2),
				"schema", mp("type", "integer", "minimum", 1, "maximum", 100, "default", 10)),
			"StartingAfter", mp("name", "starting_after", "in", "query", "description", describe("A cursor: the last id of the previous page.", 4, 1),
				"schema", schemaRef("ObjectId")),
			"EndingBefore", mp("name", "ending_before", "in", "query", "description", describe("A cursor: the first id of the next page.", 5, 1),
				"schema", schemaRef("ObjectId")),
			"CreatedAfter", mp("name", "created_after", "in", "query", "description", describe("Only objects created after this time.", 6, 1),
				"schema", schemaRef("Timestamp")),
			"Expand", mp("name", "expand", "in", "query", "style", "form", "explode", true, "description", describe("Fields to expand.", 7, 2),
				"schema", mp("type", "array", "maxItems", 4, "uniqueItems", true, "items", mp("type", "string", "enum", seq{"owner", "parent", "items", "source"}))),
			"IdempotencyKey", mp("name", "Idempotency-Key", "in", "header", "description", describe("Makes a retried request safe.", 8, 2),
				"schema", mp("type", "string", "minLength", 1, "maxLength", 255), "example", "8e03978e-40d5-43e8-bc93-6894a57f9324"),
			"ApiVersion", mp("name", "Arklow-Version", "in", "header", "description", describe("The API version to use.", 9, 1),
				"schema", mp("type", "string", "pattern", `^\d{4}-\d{2}-\d{2}$`), "example", "2026-11-25"),
			"ObjectIdPath", mp("name", "id", "in", "path", "required", true, "description", "The object's id.", "schema", schemaRef("ObjectId")),
		),
		"headers", mp(
			"RequestId", mp("description", describe("The request's id, for support.", 10, 1), "schema", mp("type", "string", "pattern", "^req_[A-Za-z0-9]{12}$"), "example", "req_4Kp9Xz2mQa1B"),
			"RateLimitLimit", mp("description", "Requests allowed per minute.", "schema", mp("type", "integer", "minimum", 0), "example", 100),
			"RateLimitRemaining", mp("description", "Requests left this minute.", "schema", mp("type", "integer", "minimum", 0), "example", 99),
			"RetryAfter", mp("description", "Seconds to wait before retrying.", "schema", mp("type", "integer", "minimum", 1), "example", 30),
		),
		"responses", mp(
			"BadRequest", errResponse("The request is invalid.", mp("error", mp("type", "invalid_request", "code", "parameter_invalid",
				"message", "amount.currency must be a three-letter code", "request_id", "req_4Kp9Xz2mQa1B",
				"details", seq{mp("field", "amount.currency", "message", "must match ^[a-z]{3}$", "code", "pattern")}))),
			"Unauthorized", errResponse("No valid credentials.", errorExample("authentication", "api_key_invalid", "The API key is not valid.")),
			"NotFound", errResponse("No such object.", mp("error", mp("type", "not_found", "code", "resource_missing", "message", "No such object.",
				"request_id", "req_4Kp9Xz2mQa1B", "resource", "invoice"))),
			"Conflict", errResponse("The object changed meanwhile.", errorExample("conflict", "idempotency_key_in_use", "The key is in use by another request.")),
			"RateLimited", errResponse("Too many requests.", mp("error", mp("type", "rate_limit", "code", "rate_limited", "message", "Too many requests.",
				"request_id", "req_4Kp9Xz2mQa1B", "retry_after", 30)), "Retry-After", ref("headers", "RetryAfter")),
		),
		"schemas", schemas,
	)
}

// sharedSchemas are the schemas every resource uses.
func sharedSchemas() m {
	resource := mp(
		"id", schemaRef("ObjectId"),
		"object", mp("type", "string", "description", describe("The kind of object.", 11, 1)),
		"created_at", schemaRef("Timestamp"),
		"updated_at", mp("anyOf", seq{schemaRef("Timestamp"), mp("type", "null")}),
		"livemode", mp("type", "boolean", "description", describe("Whether the object exists in live mode.", 12, 1)),
		"metadata", schemaRef("Metadata"),
	)
	variant := func(kind string, required seq, props ...any) m {
		return mp(
			"type", "object",
			"description", describe("A payment source of kind "+kind+".", len(kind), 2),
			"required", append(seq{"kind"}, required...),
			"properties", mp("kind", mp("const", kind)).with(props...),
		)
	}
	errorKind := func(typ string, props ...any) m {
		return mp(
			"description", describe("An error of type "+typ+".", len(typ), 1),
			"allOf", seq{schemaRef("ErrorBase"), mp("type", "object", "properties", mp("type", mp("const", typ)).with(props...))},
		)
	}
	return mp(
		"Identifier", mp("type", "string", "pattern", "^[a-z]{2,8}_[A-Za-z0-9]{14}$", "description", describe("An object id: a prefix naming its kind, and 14 letters and digits.", 13, 2),
			"example", objectID("inv", 1)),
		"ObjectId", mp("$ref", "#/components/schemas/Identifier", "description", "The id of an object."),
		"Timestamp", mp("type", "string", "format", "date-time", "description", describe("A time, in RFC 3339 format, UTC.", 1, 1), "example", timestamp(1)),
		"Currency", mp("type", "string", "pattern", "^[a-z]{3}$", "description", describe("A three-letter ISO 4217 currency code, lower case.", 2, 1), "example", "eur"),
		"Money", mp("type", "object", "description", describe("An amount of money, in the currency's smallest unit.", 3, 2),
			"required", seq{"amount", "currency"},
			"properties", mp("amount", mp("type", "integer", "minimum", 0, "maximum", 99999999), "currency", schemaRef("Currency"))),
		"Metadata", mp("type", "object", "maxProperties", 50, "description", describe("Your own key-value pairs.", 4, 2),
			"additionalProperties", mp("type", "string", "maxLength", 500), "example", mp("order_ref", "A-1042")),
		"GeoPoint", mp("type", "object", "required", seq{"lat", "lng"},
			"properties", mp("lat", mp("type", "number", "minimum", -90, "maximum", 90), "lng", mp("type", "number", "minimum", -180, "maximum", 180))),
		"Address", mp("type", "object", "description", describe("A postal address.", 5, 1),
			"required", seq{"line1", "city", "country"},
			"properties", mp(
				"line1", mp("type", "string", "maxLength", 200),
				"line2", mp("anyOf", seq{mp("type", "string", "maxLength", 200), mp("type", "null")}),
				"city", mp("type", "string", "maxLength", 100),
				"postal_code", mp("type", "string", "maxLength", 20),
				"country", mp("type", "string", "pattern", "^[A-Z]{2}$", "description", "ISO 3166-1 alpha-2."),
				"location", schemaRef("GeoPoint"),
			)),
		"Profile", mp("type", "object", "description", describe("How a user presents.", 6, 1),
			"properties", mp(
				"display_name", mp("type", "string", "maxLength", 100),
				"avatar_url", mp("type", "string", "format", "uri"),
				"locale", mp("type", "string", "enum", seq{"en-GB", "en-US", "fr-FR", "de-DE", "ga-IE"}),
				"address", schemaRef("Address"),
			)),
		"User", mp("description", describe("A person with access to the account.", 7, 2),
			"allOf", seq{schemaRef("Resource"), mp("type", "object", "required", seq{"email"},
				"properties", mp("email", mp("type", "string", "format", "email"), "profile", schemaRef("Profile")))}),
		"UserRef", mp("description", describe("A user: its id, or the user when expanded.", 8, 1),
			"anyOf", seq{schemaRef("ObjectId"), schemaRef("User")}),
		"Resource", mp("type", "object", "description", describe("What every object has.", 9, 2),
			"required", seq{"id", "object", "created_at"}, "properties", resource),
		"PageInfo", mp("type", "object", "required", seq{"has_more", "next_cursor"},
			"properties", mp(
				"has_more", mp("type", "boolean"),
				"next_cursor", mp("anyOf", seq{schemaRef("ObjectId"), mp("type", "null")}),
				"total_count", mp("type", "integer", "minimum", 0),
			)),
		"CardSource", variant("card", seq{"brand", "last4"},
			"brand", mp("type", "string", "enum", seq{"visa", "mastercard", "amex"}),
			"last4", mp("type", "string", "pattern", "^[0-9]{4}$"),
			"exp_month", mp("type", "integer", "minimum", 1, "maximum", 12),
			"exp_year", mp("type", "integer", "minimum", 2000, "maximum", 2100)),
		"BankAccountSource", variant("bank_account", seq{"bank_name"},
			"bank_name", mp("type", "string", "maxLength", 100),
			"iban_last4", mp("type", "string", "pattern", "^[0-9]{4}$"),
			"account_holder", mp("type", "string", "maxLength", 200)),
		"WalletSource", variant("wallet", seq{"provider"},
			"provider", mp("type", "string", "enum", seq{"apple_pay", "google_pay"}),
			"email", mp("type", "string", "format", "email")),
		"PaymentSource", mp("description", describe("How a payment is made.", 10, 1),
			"oneOf", seq{schemaRef("CardSource"), schemaRef("BankAccountSource"), schemaRef("WalletSource")},
			"discriminator", mp("propertyName", "kind", "mapping", mp(
				"card", "#/components/schemas/CardSource", "bank_account", "#/components/schemas/BankAccountSource", "wallet", "#/components/schemas/WalletSource"))),
		"ErrorBase", mp("type", "object", "required", seq{"type", "code", "message"},
			"properties", mp(
				"type", mp("type", "string"),
				"code", mp("type", "string", "maxLength", 100),
				"message", mp("type", "string", "maxLength", 1000),
				"request_id", mp("type", "string"),
				"doc_url", mp("type", "string", "format", "uri"),
			)),
		"FieldError", mp("type", "object", "required", seq{"field", "message"},
			"properties", mp("field", mp("type", "string"), "message", mp("type", "string"), "code", mp("type", "string"))),
		"ValidationError", errorKind("invalid_request", "details", mp("type", "array", "items", schemaRef("FieldError"))),
		"AuthenticationError", errorKind("authentication"),
		"NotFoundError", errorKind("not_found", "resource", mp("type", "string")),
		"ConflictError", errorKind("conflict"),
		"RateLimitError", errorKind("rate_limit", "retry_after", mp("type", "integer", "minimum", 1)),
		"Error", mp("description", describe("What went wrong.", 11, 1),
			"oneOf", seq{schemaRef("ValidationError"), schemaRef("AuthenticationError"), schemaRef("NotFoundError"), schemaRef("ConflictError"), schemaRef("RateLimitError")},
			"discriminator", mp("propertyName", "type", "mapping", mp(
				"invalid_request", "#/components/schemas/ValidationError",
				"authentication", "#/components/schemas/AuthenticationError",
				"not_found", "#/components/schemas/NotFoundError",
				"conflict", "#/components/schemas/ConflictError",
				"rate_limit", "#/components/schemas/RateLimitError"))),
		"ErrorEnvelope", mp("type", "object", "required", seq{"error"}, "properties", mp("error", schemaRef("Error"))),
		"DeletedObject", mp("type", "object", "required", seq{"id", "object", "deleted"},
			"properties", mp("id", schemaRef("ObjectId"), "object", mp("type", "string"), "deleted", mp("const", true))),
	)
}
