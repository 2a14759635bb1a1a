package catalogue_test

// a stub while the theme is being converted: delete this file.
var mcCases []ruleCase
