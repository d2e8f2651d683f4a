package sample_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/arklow/arklow-mock/internal/sample"
)

// A success answer of an Arklow-style envelope: plausible members chosen by
// name and format, dates near the clock's day, and errors left null.
func ExampleGenerate() {
	var schema openapi3.Schema
	err := json.Unmarshal([]byte(`{
	  "type": "object",
	  "required": ["data", "errors"],
	  "properties": {
	    "data": {
	      "type": "object",
	      "required": ["id", "name", "email", "country", "created_at", "tags"],
	      "properties": {
	        "id": {"type": "string", "format": "uuid"},
	        "name": {"type": "string"},
	        "email": {"type": "string", "format": "email"},
	        "country": {"type": "string", "maxLength": 2},
	        "created_at": {"type": "string", "format": "date-time"},
	        "tags": {"type": "array", "items": {"type": "string"}}
	      }
	    },
	    "errors": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]}
	  }
	}`), &schema)
	if err != nil {
		panic(err)
	}
	v, err := sample.Generate(openapi3.NewSchemaRef("", &schema), sample.Options{
		Seed: 42,
		Now:  time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC),
		Role: sample.RoleSuccess,
	})
	if err != nil {
		panic(err)
	}
	out, _ := json.MarshalIndent(v, "", "  ")
	fmt.Println(string(out))
	// Output:
	// {
	//   "data": {
	//     "country": "JE",
	//     "created_at": "2026-02-26T06:39:25Z",
	//     "email": "gillianpena@snyder.io",
	//     "id": "a697b142-6e29-4d5f-8896-9ef428a83fcc",
	//     "name": "Chase Kling",
	//     "tags": [
	//       "bunch",
	//       "pancake",
	//       "collection"
	//     ]
	//   },
	//   "errors": null
	// }
}
