package catalogue

import "github.com/collabmeet/collabmeet/recommend"

// commonActionPlan is a stub while the theme is being converted: delete this file.
func commonActionPlan() []recommend.Rule { return nil }
