package main

import (
	"embed"
	"io/fs"
	"sync"

	"github.com/collabmeet/collabmeet/recommend"
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

// cliTexts are the engine's texts and the command line's own, read once.
var cliTexts = sync.OnceValues(func() (*recommend.Texts, error) {
	return recommend.NewTexts(cliMessagesFS())
})

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
