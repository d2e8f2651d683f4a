// Package specgen writes synthetic OpenAPI 3.1 documents of any size, for
// measuring how the mock scales with the number of operations: start-up
// time, memory and per-request cost. The documents look like a real API —
// resources with shared $ref components, path parameters, enums, formats,
// nullable anyOf — and are deterministic for a given size.
//
// Realistic documents (realistic.go) have the shapes and the bulk of a
// large public API — deep $ref chains, unions with discriminators, allOf
// composition, long descriptions, examples everywhere — for measuring
// start-up on documents like those users ship: 300 operations make about
// 3 MB.
package specgen

import (
	"fmt"
	"strings"
)

// opsPerResource is how many operations each resource has (list, create,
// get, replace, delete).
const opsPerResource = 5

// Document returns an OpenAPI 3.1 document (YAML) with n operations.
func Document(n int) []byte {
	var b strings.Builder
	b.WriteString(`openapi: 3.1.0
info:
  title: Synthetic
  version: 1.0.0
servers:
  - url: http://localhost:3123
security:
  - apiKey: []
paths:
`)
	for i := 0; i < n; i += opsPerResource {
		res := fmt.Sprintf("res%d", i/opsPerResource)
		ops := min(opsPerResource, n-i)
		writeResource(&b, res, ops)
	}
	b.WriteString(components)
	return []byte(b.String())
}

// Path returns a request path for operation i of an n-operation document
// (a get of a resource item, or the root list).
func Path(i int) string {
	res := fmt.Sprintf("res%d", i/opsPerResource)
	if i%opsPerResource < 2 {
		return "/v1/" + res
	}
	return "/v1/" + res + "/42"
}

func writeResource(b *strings.Builder, res string, ops int) {
	fmt.Fprintf(b, "  /v1/%s:\n", res)
	fmt.Fprintf(b, `    get:
      operationId: list_%[1]s
      parameters:
        - name: limit
          in: query
          schema: {type: integer, minimum: 1, maximum: 100}
        - name: state
          in: query
          schema: {$ref: '#/components/schemas/State'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data, errors]
                properties:
                  data:
                    anyOf:
                      - type: array
                        items: {$ref: '#/components/schemas/Item'}
                      - type: 'null'
                  errors: {$ref: '#/components/schemas/Errors'}
`, res)
	if ops < 2 {
		return
	}
	fmt.Fprintf(b, `    post:
      operationId: create_%[1]s
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ItemInput'}
      responses:
        '201': {$ref: '#/components/responses/Item'}
        '400': {$ref: '#/components/responses/Error'}
`, res)
	if ops < 3 {
		return
	}
	fmt.Fprintf(b, "  /v1/%s/{id}:\n    parameters:\n      - {$ref: '#/components/parameters/Id'}\n", res)
	fmt.Fprintf(b, `    get:
      operationId: get_%[1]s
      responses:
        '200': {$ref: '#/components/responses/Item'}
        '404': {$ref: '#/components/responses/Error'}
`, res)
	if ops < 4 {
		return
	}
	fmt.Fprintf(b, `    put:
      operationId: replace_%[1]s
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ItemInput'}
      responses:
        '200': {$ref: '#/components/responses/Item'}
`, res)
	if ops < 5 {
		return
	}
	fmt.Fprintf(b, `    delete:
      operationId: delete_%[1]s
      responses:
        '204': {description: deleted}
`, res)
}

const components = `components:
  securitySchemes:
    apiKey: {type: apiKey, in: header, name: x-arklow-auth}
  parameters:
    Id:
      name: id
      in: path
      required: true
      schema: {type: string, pattern: '^[0-9]+$'}
  responses:
    Item:
      description: one item
      content:
        application/json:
          schema:
            type: object
            required: [data, errors]
            properties:
              data:
                anyOf:
                  - {$ref: '#/components/schemas/Item'}
                  - type: 'null'
              errors: {$ref: '#/components/schemas/Errors'}
    Error:
      description: an error
      content:
        application/json:
          schema:
            type: object
            required: [data, errors]
            properties:
              data: {type: 'null'}
              errors: {$ref: '#/components/schemas/Errors'}
  schemas:
    State:
      type: string
      enum: [active, paused, archived]
    ItemInput:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1, maxLength: 80}
        state: {$ref: '#/components/schemas/State'}
        tags:
          type: array
          items: {type: string}
    Item:
      allOf:
        - {$ref: '#/components/schemas/ItemInput'}
        - type: object
          required: [id, created_at]
          properties:
            id: {type: string, pattern: '^[0-9]+$'}
            created_at: {type: string, format: date-time}
            owner:
              anyOf:
                - {type: string, format: email}
                - type: 'null'
    Errors:
      anyOf:
        - type: array
          items:
            type: object
            required: [code, message]
            properties:
              code: {type: string}
              message: {type: string}
        - type: 'null'
`
