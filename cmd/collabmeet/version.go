package main

import (
	"fmt"
	"runtime/debug"

	"github.com/collabmeet/collabmeet/recommend"

	"github.com/collabmeet/collabmeet/recommend/catalogue"
)

// runVersion is `collabmeet version`: the module version, the VCS revision
// the binary was built from (with "+dirty" for uncommitted changes), the Go
// version, and the catalogue version.
func runVersion(e *env, name string, args []string) int {
	fs := newFlags(e, name)
	rest, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return fs.usageError("cli.error.unexpected_argument", recommend.Args{"arg": rest[0]})
	}
	version, revision, goVersion := "(devel)", "unknown", "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		goVersion = info.GoVersion
		if v := info.Main.Version; v != "" {
			version = v
		}
		dirty := false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if dirty {
			revision += "+dirty"
		}
	}
	fmt.Fprintf(e.stdout, "collabmeet %s\nrevision %s\ncatalogue %s\n%s\n", version, revision, catalogue.Version, goVersion)
	return exitOK
}
