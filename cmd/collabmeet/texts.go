package main

import (
	"embed"
	"io/fs"
	"sync"

	"github.com/collabmeet/collabmeet/recommend"
	"github.com/collabmeet/collabmeet/validation"
)

// cliMessages are the texts of the command line's own lines (those of fix
// on stderr), in the message format of recommend.Texts: one file per
// language, English the source.
//
//go:embed messages/*.json
var cliMessages embed.FS

// cliMessagesFS is cliMessages at the root, as recommend.NewTexts reads it.
func cliMessagesFS() fs.FS {
	sub, err := fs.Sub(cliMessages, "messages")
	if err != nil {
		return nil
	}
	return sub
}

// cliTexts are the engine's texts, the command line's own and those of the
// problem codes of documents (validation.Messages), read once.
var cliTexts = sync.OnceValues(func() (*recommend.Texts, error) {
	return recommend.NewTexts(cliMessagesFS(), validation.Messages())
})

// problemText words a problem of a document for people in lang: the
// message of its code (validation.Messages) in lang, with its args, when it
// has a code with a message there; else its English Message. English is
// always the Message itself, as the library words it. Args are codes,
// numbers and paths only (see validation.Problem), never text of the
// document.
func problemText(lang recommend.Lang, p validation.Problem) string {
	t, err := cliTexts()
	if lang == recommend.English || p.Code == "" || err != nil || !t.Has(lang, "validation."+p.Code) {
		return p.String()
	}
	args := make(recommend.Args, len(p.Args))
	for k, v := range p.Args {
		if id, dargs, ok := validation.Described(v); ok { // a value Quote did not show
			described := make(recommend.Args, len(dargs))
			for dk, dv := range dargs {
				described[dk] = dv
			}
			args[k] = t.Text(lang, id, described)
			continue
		}
		args[k] = recommend.Code(v) // shown by its vocabulary message "k.v", if any
	}
	text := t.Text(lang, "validation."+p.Code, args)
	if p.Path == "" {
		return text
	}
	return p.Path + ": " + text
}

// say renders the command line's message id in lang with args. Should the
// embedded files be unreadable (a build that a test would have failed), it
// is the id, as a missing message is.
func say(lang recommend.Lang, id string, args recommend.Args) string {
	t, err := cliTexts()
	if err != nil {
		return id
	}
	return t.Text(lang, id, args)
}
