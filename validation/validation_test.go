package validation_test

import (
	"errors"
	"testing"

	"github.com/collabmeet/collabmeet/validation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type item struct {
	ID    string   `json:"id" validate:"required"`
	Count int      `json:"count" validate:"gt=0"`
	Tags  []string `json:"tags" validate:"min=1"`
	Low   int      `json:"low" validate:"min=0"`
}

type doc struct {
	Items []item `json:"items" validate:"dive"`
}

func TestStructNamesJSONPaths(t *testing.T) {
	got := validation.Struct("root", &doc{Items: []item{{ID: "a", Count: 1, Tags: []string{"x"}}, {Low: -1}}})
	assert.Equal(t, []validation.Problem{
		{Path: "root.items[1].id", Message: "is required", Code: "required"},
		{Path: "root.items[1].count", Message: "must be greater than 0", Code: "greater_than", Args: map[string]string{"limit": "0"}},
		{Path: "root.items[1].tags", Message: "must not be empty", Code: "not_empty"},
		{Path: "root.items[1].low", Message: "must not be negative", Code: "not_negative"},
	}, got)
	assert.Empty(t, validation.Struct("", &doc{}))
}

func TestList(t *testing.T) {
	var l validation.List
	assert.NoError(t, l.Err(), "the zero list has no error")
	l.Addf("a.b", "is %s", "wrong")
	l.Add(validation.Problem{Message: "whole document"})
	err := l.Err()
	var verr *validation.Error
	require.True(t, errors.As(err, &verr))
	assert.Equal(t, []string{"a.b", ""}, verr.Paths())
	assert.Equal(t, "a.b: is wrong\nwhole document", err.Error())
}

func TestErrorUnwrap(t *testing.T) {
	sentinel := errors.New("too big")
	err := error(&validation.Error{Err: sentinel})
	assert.ErrorIs(t, err, sentinel)
	assert.Equal(t, "too big", err.Error())
}
