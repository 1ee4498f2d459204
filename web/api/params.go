package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Bounds on a request's body: JSON and forms are small; a multipart body
// carries an upload, kept in memory up to multipartMemory and on disk
// past it.
const (
	maxParamsBody    = 1 << 20
	maxMultipartBody = 64 << 20
	multipartMemory  = 1 << 20
)

// params are a request's parameters from the query string and the body,
// merged as Rails merges them, since apps send each endpoint's
// parameters in any of the encodings (Tusky forms, Elk and Ice Cubes
// JSON, Ice Cubes some in the query string). JSON objects become
// Rails-style keys: {"poll":{"options":["a"]}} is poll[options][]=a. The
// body's values come after the query's, so a body's value wins.
type params struct {
	values url.Values
	files  map[string][]*multipart.FileHeader
}

// readParams reads the request's parameters. A body that cannot be read
// is a requestError saying why.
func readParams(r *http.Request) (params, error) {
	p := params{values: url.Values{}}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return p, &requestError{http.StatusBadRequest, "The query string cannot be read."}
	}
	for k, v := range query {
		p.values[k] = v
	}
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return p, nil
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case mediaType == "application/json" || strings.HasSuffix(mediaType, "+json"):
		err = p.readJSON(r)
	case mediaType == "application/x-www-form-urlencoded":
		err = p.readForm(r)
	case mediaType == "multipart/form-data":
		err = p.readMultipart(r)
	}
	return p, err
}

func (p params) readJSON(r *http.Request) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxParamsBody+1))
	if err != nil {
		return &requestError{http.StatusBadRequest, "The request body cannot be read."}
	}
	if len(body) > maxParamsBody {
		return &requestError{http.StatusRequestEntityTooLarge, "The request body is too large."}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err != nil {
		return &requestError{http.StatusBadRequest, "The JSON body cannot be read: " + jsonReason(err)}
	}
	obj, ok := top.(map[string]any)
	if !ok {
		return &requestError{http.StatusBadRequest, "The JSON body must be an object."}
	}
	for k, v := range obj {
		flatten(p.values, k, v)
	}
	return nil
}

// jsonReason says where a JSON body went wrong, without echoing it.
func jsonReason(err error) string {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Sprintf("invalid JSON at byte %d.", syntax.Offset)
	}
	return "it ends too early or is not JSON."
}

// flatten adds a JSON value under key as Rails would read it: objects
// as key[name], arrays of values as key[], arrays of objects as
// key[i][name]. A null is as if the key were not sent.
func flatten(values url.Values, key string, v any) {
	switch v := v.(type) {
	case nil:
	case map[string]any:
		for k, sub := range v {
			flatten(values, key+"["+k+"]", sub)
		}
	case []any:
		for i, item := range v {
			switch item.(type) {
			case map[string]any, []any:
				flatten(values, key+"["+strconv.Itoa(i)+"]", item)
			default:
				flatten(values, key+"[]", item)
			}
		}
	case string:
		values.Add(key, v)
	case json.Number:
		values.Add(key, v.String())
	case bool:
		values.Add(key, strconv.FormatBool(v))
	}
}

func (p params) readForm(r *http.Request) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxParamsBody+1))
	if err != nil {
		return &requestError{http.StatusBadRequest, "The request body cannot be read."}
	}
	if len(body) > maxParamsBody {
		return &requestError{http.StatusRequestEntityTooLarge, "The request body is too large."}
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return &requestError{http.StatusBadRequest, "The form body cannot be read."}
	}
	for k, v := range form {
		p.values[k] = append(p.values[k], v...)
	}
	return nil
}

func (p *params) readMultipart(r *http.Request) error {
	r.Body = http.MaxBytesReader(nil, r.Body, maxMultipartBody)
	if err := r.ParseMultipartForm(multipartMemory); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return &requestError{http.StatusRequestEntityTooLarge, "The request body is too large."}
		}
		return &requestError{http.StatusBadRequest, "The multipart body cannot be read."}
	}
	if c, ok := r.Context().Value(uploadCleanupKey{}).(*uploadCleanup); ok {
		c.forms = append(c.forms, r.MultipartForm)
	}
	for k, v := range r.MultipartForm.Value {
		p.values[k] = append(p.values[k], v...)
	}
	p.files = r.MultipartForm.File
	return nil
}

// string returns the parameter's value ("" when not given); sent more
// than once, the last one.
func (p params) string(name string) string {
	v := p.values[name]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// has reports whether the parameter was sent.
func (p params) has(name string) bool {
	return len(p.values[name]) > 0
}

// strings returns the values of an array parameter, sent as name[] (forms,
// JSON arrays) or as name (repeated, or one value).
func (p params) strings(name string) []string {
	return append(append([]string(nil), p.values[name+"[]"]...), p.values[name]...)
}

// boolean reads a parameter as Rails does true and false; given is false
// when it was not sent or is empty.
func (p params) boolean(name string) (value, given bool, err error) {
	switch strings.ToLower(p.string(name)) {
	case "":
		return false, false, nil
	case "true", "1", "on", "t", "yes":
		return true, true, nil
	case "false", "0", "off", "f", "no":
		return false, true, nil
	}
	return false, true, &requestError{http.StatusUnprocessableEntity, fmt.Sprintf("%s must be true or false.", name)}
}

// integer reads a whole-number parameter; given is false when it was not
// sent or is empty.
func (p params) integer(name string) (n int, given bool, err error) {
	s := p.string(name)
	if s == "" {
		return 0, false, nil
	}
	n, err = strconv.Atoi(s)
	if err != nil {
		return 0, true, &requestError{http.StatusUnprocessableEntity, fmt.Sprintf("%s must be a whole number.", name)}
	}
	return n, true, nil
}

// file returns the uploaded file of a multipart parameter, or nil.
func (p params) file(name string) *multipart.FileHeader {
	if f := p.files[name]; len(f) > 0 {
		return f[0]
	}
	return nil
}

// uploadCleanup holds the multipart forms a request parsed, whose
// temporary files must go when it ends: the router hands handlers a copy
// of the request, so the guard cannot see them otherwise.
type uploadCleanup struct{ forms []*multipart.Form }

type uploadCleanupKey struct{}

// withUploadCleanup returns the request ready to note its forms, and the
// function that removes their files.
func withUploadCleanup(r *http.Request) (*http.Request, func()) {
	c := &uploadCleanup{}
	return r.WithContext(context.WithValue(r.Context(), uploadCleanupKey{}, c)), func() {
		for _, f := range c.forms {
			f.RemoveAll()
		}
	}
}
