package apispec

import (
	"mime"
	"slices"
	"strings"
)

// MediaTypes lists every media type the response documents, sorted; empty
// when it documents no body.
func (r *Response) MediaTypes() []string { return slices.Clone(r.mediaTypes) }

// AcceptsMediaType reports whether an answer sent with the Content-Type
// header value contentType is one the response documents: the same media
// type (parameters such as charset aside), or one a documented range
// (application/*, */*) covers. The media type found is returned, in lower
// case, "" when contentType cannot be read.
func (r *Response) AcceptsMediaType(contentType string) (mediaType string, ok bool) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", false
	}
	for _, doc := range r.mediaTypes {
		doc = strings.ToLower(doc)
		if dm, _, err := mime.ParseMediaType(doc); err == nil {
			doc = dm
		}
		switch {
		case doc == mt, doc == "*/*":
			return mt, true
		case strings.HasSuffix(doc, "/*") && strings.HasPrefix(mt, strings.TrimSuffix(doc, "*")):
			return mt, true
		}
	}
	return mt, false
}

// IsJSON reports whether a media type is JSON (application/json or a
// +json type such as application/problem+json).
func IsJSON(mediaType string) bool { return isJSON(mediaType) }
