package sample

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/getkin/kin-openapi/openapi3"
)

// Role says what a generated value answers: it decides which members of
// the Arklow envelope ({data, errors}) are left null.
type Role uint8

const (
	// RoleNeutral is for request bodies, parameters and headers: every
	// member is filled.
	RoleNeutral Role = iota
	// RoleSuccess is for a 2xx answer: an object member named error or
	// errors whose schema allows null is null.
	RoleSuccess
	// RoleError is for an error answer (4xx, 5xx): an object member named
	// data whose schema allows null is null.
	RoleError
)

// RoleForStatus is the role of an answer with HTTP status code status:
// success for 2xx, error from 400 on, neutral otherwise.
func RoleForStatus(status int) Role {
	switch {
	case status >= 200 && status < 300:
		return RoleSuccess
	case status >= 400:
		return RoleError
	}
	return RoleNeutral
}

// String names the role for messages and test names.
func (r Role) String() string {
	switch r {
	case RoleSuccess:
		return "success"
	case RoleError:
		return "error"
	}
	return "neutral"
}

// Options controls Generate.
type Options struct {
	// Seed selects the value: the same schema and Options always give the
	// same value, another seed (most likely) another one. The server
	// derives it from the operation, path parameters and body, or draws a
	// new one for Prefer: dynamic=true.
	Seed uint64
	// Now is the clock that date-times are generated near. Only its UTC day
	// counts: values are offsets from midnight UTC of that day, so they stay
	// the same all day long and snapshot tests stay stable until midnight
	// (or forever, with a fixed Now). The zero time means 2026-01-01, the
	// date Value uses.
	Now time.Time
	// Role says what the value answers; see Role.
	Role Role
}

// Generate returns a plausible JSON value (map[string]any, []any, string,
// json.Number, bool or nil) that is valid against ref, chosen by
// opts.Seed.
//
// For each schema, in order: const; one of its examples, example and
// default (those that are valid, picked by the seed); one of its enum
// values; composition as for Value; else a value built from the type: a
// string from its format (email, uri, uuid, date-time near opts.Now, ipv4,
// ...), else from the property's name (name, email, phone, city, country,
// url, avatar, id, created_at, description, price, ...), else words;
// numbers drawn within the bounds (and a plausible range for the name);
// arrays of 2 or 3 items where minItems and maxItems allow. A proposal that
// breaks a constraint (pattern, length, bounds, multipleOf, format) gives
// way to the constraint-driven value, drawn by the seed where it can be
// (strings from a pattern, numbers in range).
//
// A failure to build a valid value is an error, never an invalid value.
func Generate(ref *openapi3.SchemaRef, opts Options) (any, error) {
	if ref == nil {
		return nil, errors.New("sample: nil schema")
	}
	g := &generator{active: make(map[*openapi3.Schema]int), fake: newFaker(opts)}
	v, err := g.value(ref, 0)
	if err != nil {
		return nil, fmt.Errorf("sample: %w", err)
	}
	return v, nil
}

// faker is the seeded source of plausible values of one Generate call.
type faker struct {
	seed uint64
	// day is midnight UTC of Options.Now: the anchor of generated times.
	day  time.Time
	role Role
	src  *rand.PCG
	fake *gofakeit.Faker
}

func newFaker(opts Options) *faker {
	now := opts.Now
	if now.IsZero() {
		now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	y, m, d := now.UTC().Date()
	src := rand.NewPCG(0, 0)
	return &faker{
		seed: opts.Seed,
		day:  time.Date(y, m, d, 0, 0, 0, 0, time.UTC),
		role: opts.Role,
		src:  src,
		// A faker of its own, unlocked: it is used by one goroutine.
		fake: gofakeit.NewFaker(src, false),
	}
}

// rand reseeds the faker for the value at position at (variant variant)
// and returns it. Every draw for one value follows one call to rand, so a
// value depends only on the seed, its position and its variant.
func (f *faker) rand(at uint64, variant int) *gofakeit.Faker {
	f.src.Seed(mix(f.seed, at), mix(at, uint64(variant)))
	return f.fake
}

// mix combines two 64-bit values into a well-spread one (splitmix64's
// finaliser over a simple combination).
func mix(a, b uint64) uint64 {
	x := a ^ (b + 0x9e3779b97f4a7c15 + a<<6 + a>>2)
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// child is the position of a property or item below at.
func child(at uint64, token string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(token))
	return mix(at, h.Sum64())
}

// itemToken names array item i for child (a property name cannot start
// with a NUL byte in practice, so items and properties do not collide).
func itemToken(i int) string { return "\x00" + strconv.Itoa(i) }

// salt values give independent draws at the same position for different
// purposes (an array's length, which example to take).
const (
	saltCount   = 1 << 20
	saltLiteral = 2 << 20
)

// seededLiteral is Generate's literal rule: const; else one of the valid
// examples, example and default, picked by the seed; else one of the enum
// values (those that might be valid), picked by the seed. Variants take the
// next literal, so items made distinct walk through them.
func (g *generator) seededLiteral(f *faker, s *openapi3.Schema, variant int) (any, bool, error) {
	if s.Const != nil {
		return literal(s, variant)
	}
	self := openapi3.NewSchemaRef("", s)
	var written []any
	for _, w := range append(append([]any{}, s.Examples...), s.Example, s.Default) {
		if w == nil {
			continue
		}
		v, err := normalize(w)
		if err != nil || !certainlyValid(self, v, 0) ||
			slices.ContainsFunc(written, func(e any) bool { return jsonEqual(e, v) }) {
			continue
		}
		written = append(written, v)
	}
	if variant < len(written) {
		pick := f.rand(g.at, saltLiteral).IntN(len(written))
		return written[(pick+variant)%len(written)], true, nil
	}
	if len(s.Enum) == 0 {
		return nil, false, nil
	}
	var enum []any
	for _, e := range s.Enum {
		if v, err := normalize(e); err == nil && mayMatch(self, v, 0) {
			enum = append(enum, v)
		}
	}
	if len(enum) == 0 {
		return literal(s, variant) // nothing fits: keep Value's choice
	}
	if variant >= len(enum) {
		return nil, true, errNoVariant
	}
	pick := f.rand(g.at, saltLiteral).IntN(len(enum))
	return enum[(pick+variant)%len(enum)], true, nil
}
