package errformat

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// role is what a property of an error body carries, read from its name
// and its schema.
type role uint8

const (
	roleNone      role = iota // not the error's: kept from the example, or generated when required
	roleMessage               // what is wrong, in words
	roleTitle                 // the status text, "Bad Request" (a message when nothing else carries one)
	roleCode                  // the mock's code, "invalid_request" (per problem: a short kind, "missing")
	roleStatus                // the HTTP status
	roleType                  // RFC 9457 type: a URI
	roleProblems              // an array with one item per problem
	roleNested                // an object that is the error itself: {"error": {...}}
	roleWhere                 // per problem: the location, "body.device_id" (or split, or an object)
	roleName                  // per problem: the field or parameter, "device_id", "limit"
	roleIn                    // per problem: body, query, header, path or cookie
	rolePointer               // per problem: the JSON pointer in the body
	roleParameter             // per problem: the parameter's name, for a query, path or cookie problem
	roleHeader                // per problem: the header's name, for a header problem
)

// names gives the role of a property by its name, lower-cased and without
// punctuation ("error_code", "errorCode" and "error-code" are all
// "errorcode"). roleFor then adjusts it to the property's type and to
// where the property is.
var names = map[string]role{
	// What is wrong.
	"message":          roleMessage,
	"msg":              roleMessage,
	"errormessage":     roleMessage,
	"errormsg":         roleMessage,
	"detail":           roleMessage, // an array: the problems (FastAPI)
	"description":      roleMessage,
	"errordescription": roleMessage,
	"reason":           roleMessage,
	"issue":            roleMessage,
	"error":            roleMessage, // an object: the error itself; beside a message: the status text
	"title":            roleTitle,

	// Which error.
	"code":      roleCode, // an integer: the status
	"errorcode": roleCode,
	"type":      roleCode, // in problem details: a URI
	"kind":      roleCode,
	"errortype": roleCode,

	// Which status.
	"status":         roleStatus, // a non-numeric example ("INVALID_ARGUMENT"): a code
	"statuscode":     roleStatus,
	"httpstatus":     roleStatus,
	"httpcode":       roleStatus,
	"httpstatuscode": roleStatus,

	// One item per problem.
	"errors":            roleProblems,
	"details":           roleProblems, // a string: the message
	"violations":        roleProblems,
	"problems":          roleProblems,
	"issues":            roleProblems,
	"invalidparams":     roleProblems,
	"invalidparameters": roleProblems,
	"fielderrors":       roleProblems,
	"validationerrors":  roleProblems,
	"causes":            roleProblems,
	"suberrors":         roleProblems,
	"errordetails":      roleProblems,
	"fields":            roleProblems,
	"messages":          roleProblems,

	// Where, within one problem.
	"field":        roleName,
	"fieldname":    roleName,
	"param":        roleName,
	"name":         roleName,
	"property":     roleName,
	"propertyname": roleName,
	"attribute":    roleName,
	"key":          roleName,
	"target":       roleName,
	"parameter":    roleParameter,
	"header":       roleHeader,
	"in":           roleIn,
	"path":         roleWhere,
	"location":     roleWhere,
	"loc":          roleWhere,
	"source":       roleWhere,
	"pointer":      rolePointer,
	"instancepath": rolePointer,
	"jsonpointer":  rolePointer,
}

// where says where a property sits, which changes what its name means.
type where uint8

const (
	atTop     where = iota // the error object itself
	atProblem              // an item standing for one problem
)

// normalize lower-cases a property name and drops everything but letters
// and digits.
func normalize(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// roleFor decides what the property name with schema ref carries. problem
// is set when the body is RFC 9457 problem details.
func roleFor(name string, ref *openapi3.SchemaRef, at where, problem bool) role {
	if strings.HasPrefix(name, "@") || strings.HasPrefix(name, "$") {
		return roleNone // "@type", "$schema": metadata, not the error's
	}
	r := names[normalize(name)]
	isObject := intends(ref, openapi3.TypeObject) && !intends(ref, openapi3.TypeString)
	isArray := intends(ref, openapi3.TypeArray) && !intends(ref, openapi3.TypeString)
	isString := intends(ref, openapi3.TypeString)
	isInt := intends(ref, openapi3.TypeInteger) && !isString

	if problem && at == atTop {
		switch name {
		case "type":
			return roleType
		case "title":
			return roleTitle
		case "status":
			return roleStatus
		case "detail":
			if isString {
				return roleMessage
			}
		case "instance":
			return roleNone // the request's path is not known here
		}
	}
	switch r {
	case roleMessage:
		switch {
		case at == atTop && isArray && name != "error":
			return roleProblems // FastAPI's detail: [...]
		case at == atTop && isObject:
			return roleNested // {"error": {"code": ..., "message": ...}}, FastAPI's {"detail": {...}}
		case !isString:
			return roleNone
		}
	case roleTitle:
		if !isString {
			return roleNone
		}
	case roleCode:
		if isInt {
			return roleStatus // {"code": 400}
		}
		if !isString {
			return roleNone
		}
	case roleProblems:
		switch {
		case at != atTop:
			return roleNone
		case isString && !isArray:
			return roleMessage // {"details": "..."}
		case !isArray:
			return roleNone
		}
	case roleWhere, roleName, roleIn, rolePointer, roleParameter, roleHeader:
		if at == atTop && !topWhere[normalize(name)] {
			// At the top, "path" is the request's path (Spring), "name"
			// the error's name: only unambiguous names place a problem.
			return roleNone
		}
	}
	return r
}

// topWhere are the names that place a problem also on an error object
// that has no array of problems (Stripe's {"error": {"param": ...}}): the
// first problem's place fills them.
var topWhere = map[string]bool{
	"field": true, "fieldname": true, "param": true, "parameter": true, "property": true,
	"propertyname": true, "attribute": true, "pointer": true, "instancepath": true, "jsonpointer": true,
}

// isWhere reports whether a role places a problem.
func isWhere(r role) bool {
	return r >= roleWhere
}
