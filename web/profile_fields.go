package web

import (
	"net/http"
	"strconv"

	"github.com/tidings-social/tidings/storage"
)

// postedFields reads the rows of profile fields of the settings form
// (field_name_N, field_value_N); storage drops the empty ones.
func postedFields(r *http.Request) []storage.ProfileField {
	fields := make([]storage.ProfileField, storage.MaxProfileFields)
	for i := range fields {
		n := strconv.Itoa(i)
		fields[i] = storage.ProfileField{Name: r.PostForm.Get("field_name_" + n), Value: r.PostForm.Get("field_value_" + n)}
	}
	return fields
}

// fieldRows pads fields with empty rows, so that the form always offers
// as many as a profile may have.
func fieldRows(fields []storage.ProfileField) []storage.ProfileField {
	rows := make([]storage.ProfileField, storage.MaxProfileFields)
	copy(rows, fields)
	return rows
}
