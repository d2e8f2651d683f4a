package errformat_test

import (
	"fmt"

	"github.com/arklow/arklow-mock/internal/errformat"
	"github.com/arklow/arklow-mock/internal/reqerr"
	"github.com/getkin/kin-openapi/openapi3"
)

// The server builds one Formats per operation at load, and renders each
// refusal with it, falling back to the Arklow envelope when Render says
// no.
func Example() {
	doc, err := openapi3.NewLoader().LoadFromData([]byte(`
openapi: 3.1.0
info: {title: devices, version: "1"}
paths:
  /devices:
    post:
      responses:
        "201": {description: Created}
        "422":
          description: Validation Error
          content:
            application/json:
              schema:
                type: object
                properties:
                  detail:
                    type: array
                    items:
                      type: object
                      required: [loc, msg, type]
                      properties:
                        loc: {type: array, items: {anyOf: [{type: string}, {type: integer}]}}
                        msg: {type: string}
                        type: {type: string}
`))
	if err != nil {
		panic(err)
	}
	op := doc.Paths.Value("/devices").Post
	responses := map[string]errformat.Documented{}
	for code, ref := range op.Responses.Map() {
		responses[code] = errformat.Documented{
			Response: ref.Value,
			// The server passes the compiled schema's validation here.
			Validate: func(mediaType string, body any) []reqerr.Problem { return nil },
		}
	}
	formats, warnings := errformat.Build(responses)
	fmt.Println("warnings:", len(warnings))

	status, contentType, body, ok := formats.Render(&reqerr.Error{Code: reqerr.InvalidRequest, Problems: []reqerr.Problem{
		{Location: "body.device_id", Message: "expected string, got number", Pointer: "/device_id"},
	}})
	fmt.Println(status, contentType, ok)
	fmt.Println(string(body))

	status, _, _, ok = formats.Render(reqerr.New(reqerr.Unauthorized, "header.x-api-key", "missing or empty API key"))
	fmt.Println(status, ok, "(the envelope answers)")
	// Output:
	// warnings: 0
	// 422 application/json true
	// {"detail":[{"loc":["body","device_id"],"msg":"expected string, got number","type":"value_error"}]}
	// 401 false (the envelope answers)
}
