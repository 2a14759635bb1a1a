// Package validation holds what the domain packages share to report invalid
// data: the Error type that lists every problem with its JSON path, and the
// one cached validator that checks struct tags and names fields as JSON does.
package validation

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
)

// Problem is one thing wrong with a document, at a JSON path such as
// "meeting.participants[3].role". A Path of "" is the document as a whole.
// Messages never quote free text from the document.
//
// Message is the English text. A problem made by Coded also names what is
// wrong by Code, with Args (codes, numbers and paths, never text of the
// document), so that a renderer can word it in another language from
// Messages; a problem without a Code has its Message only.
type Problem struct {
	Path    string            `json:"path"`
	Message string            `json:"message"`
	Code    string            `json:"code,omitempty"`
	Args    map[string]string `json:"args,omitempty"`
}

// String returns "path: message".
func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// Error is every problem found in one document. Use errors.As to get at it.
type Error struct {
	Problems []Problem
	// Err is the sentinel a caller may branch on with errors.Is, if any.
	Err error
}

// Error returns the problems, one per line.
func (e *Error) Error() string {
	if len(e.Problems) == 0 {
		if e.Err != nil {
			return e.Err.Error()
		}
		return "invalid"
	}
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns the sentinel error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Paths returns the path of every problem, in order.
func (e *Error) Paths() []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Path
	}
	return out
}

// List collects problems. The zero value is an empty list ready to use.
type List struct {
	Problems []Problem
}

// Addf records a problem at path.
func (l *List) Addf(path, format string, args ...any) {
	l.Problems = append(l.Problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Add records problems as they are.
func (l *List) Add(ps ...Problem) { l.Problems = append(l.Problems, ps...) }

// Err returns nil when the list is empty, otherwise an *Error with its problems.
func (l *List) Err() error {
	if len(l.Problems) == 0 {
		return nil
	}
	return &Error{Problems: l.Problems}
}

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

// shared returns the one validator, built on first use: it caches struct metadata.
func shared() *validator.Validate {
	validateOnce.Do(func() {
		validate = validator.New(validator.WithRequiredStructEnabled())
		validate.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				return ""
			}
			if name == "" {
				return f.Name
			}
			return name
		})
	})
	return validate
}

// Struct checks the `validate` tags of v, a struct or a pointer to one, and
// returns a problem for every failing field, its path starting with prefix
// (for example "meeting"; "" for none).
func Struct(prefix string, v any) []Problem {
	err := shared().Struct(v)
	if err == nil {
		return nil
	}
	verrs, ok := err.(validator.ValidationErrors)
	if !ok {
		return []Problem{Coded(prefix, "not_validated", "reason", err.Error())}
	}
	out := make([]Problem, 0, len(verrs))
	for _, fe := range verrs {
		code, limit := tagCode(fe)
		path := fieldPath(prefix, fe.Namespace())
		switch code {
		case "fails":
			out = append(out, Coded(path, code, "tag", fe.Tag()))
		case "required", "not_empty", "not_negative":
			out = append(out, Coded(path, code))
		default:
			out = append(out, Coded(path, code, "limit", limit))
		}
	}
	return out
}

// fieldPath replaces the root type name of a validator namespace
// ("Meeting.participants[3].role") with prefix.
func fieldPath(prefix, namespace string) string {
	_, rest, _ := strings.Cut(namespace, ".")
	switch {
	case prefix == "":
		return rest
	case rest == "":
		return prefix
	}
	return prefix + "." + rest
}

// tagCode names the failed validate tag of fe as a problem code, with the
// tag's parameter (the limit) where the message shows it.
func tagCode(fe validator.FieldError) (code, limit string) {
	list := fe.Kind() == reflect.Slice || fe.Kind() == reflect.Map
	switch fe.Tag() {
	case "required":
		return "required", ""
	case "gt":
		return "greater_than", fe.Param()
	case "lte":
		return "at_most", fe.Param()
	case "max":
		if list {
			return "at_most_elements", fe.Param()
		}
		return "at_most", fe.Param()
	case "min":
		switch {
		case list && fe.Param() == "1":
			return "not_empty", ""
		case list:
			return "at_least_elements", fe.Param()
		case fe.Param() == "0":
			return "not_negative", ""
		}
		return "at_least", fe.Param()
	}
	return "fails", ""
}
