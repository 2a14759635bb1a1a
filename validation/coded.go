package validation

import (
	"embed"
	"encoding/json"
	"io/fs"
	"strings"
	"sync"
	"text/template"
)

// messageFiles are the texts of the problem codes, one file per language.
//
//go:embed messages/*.json
var messageFiles embed.FS

// Messages returns the message files of the problem codes:
// validation.LANG.json, English the source, in the message format of
// recommend.Texts (github.com/nicksnyder/go-i18n/v2). The text of the code
// C is the message "validation.C", a Go template over the problem's Args;
// an arg K whose value V has a message "K.V" (got, want, reason, where,
// what) is shown by that message. A renderer that words a Problem in
// another language reads these files; the English Message of a problem is
// rendered from validation.en.json.
func Messages() fs.FS {
	sub, err := fs.Sub(messageFiles, "messages")
	if err != nil {
		return nil
	}
	return sub
}

// english are the English texts by message ID, read once.
var english = sync.OnceValue(func() map[string]string {
	data, err := messageFiles.ReadFile("messages/validation.en.json")
	if err != nil {
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return nil
	}
	return m
})

// templates are the parsed English templates by code, parsed once.
var templates sync.Map // message ID → *template.Template

// Coded returns the problem at path named by code, with args given as
// pairs of key and value ("limit", "5"); its Message is the English text of
// the code (see Messages). Args hold codes, numbers and paths only, never
// text of the document. An odd last key is dropped; an unknown code is its
// own message.
func Coded(path, code string, kv ...string) Problem {
	var args map[string]string
	if len(kv) >= 2 {
		args = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			args[kv[i]] = kv[i+1]
		}
	}
	return Problem{Path: path, Message: englishText(code, args), Code: code, Args: args}
}

// AddCoded records the problem at path named by code (see Coded).
func (l *List) AddCoded(path, code string, kv ...string) {
	l.Problems = append(l.Problems, Coded(path, code, kv...))
}

// englishText renders the English message of code with args; the code
// itself when it has none.
func englishText(code string, args map[string]string) string {
	if text := renderEnglish("validation."+code, args); text != "validation."+code {
		return text
	}
	return code
}

// renderEnglish renders the English message id with args; an arg K whose
// value V has a message "K.V" is shown by it. It is id itself when the
// message is missing or does not render.
func renderEnglish(id string, args map[string]string) string {
	texts := english()
	tmpl, ok := templates.Load(id)
	if !ok {
		src, found := texts[id]
		if !found {
			return id
		}
		t, err := template.New(id).Option("missingkey=zero").Parse(src)
		if err != nil {
			return id
		}
		tmpl, _ = templates.LoadOrStore(id, t)
	}
	data := make(map[string]string, len(args))
	for k, v := range args {
		if shown, ok := texts[k+"."+v]; ok {
			v = shown
		}
		data[k] = v
	}
	var b strings.Builder
	if err := tmpl.(*template.Template).Execute(&b, data); err != nil {
		return id
	}
	return b.String()
}
