module github.com/collabmeet/collabmeet/bench

go 1.26.0

require (
	github.com/collabmeet/collabmeet v0.0.0
	github.com/go-json-experiment/json v1.27.2
)

require (
	github.com/evanphx/json-patch/v5 v5.9.11 // indirect
	github.com/nicksnyder/go-i18n/v2 v2.7.0 // indirect
)

require (
	github.com/gabriel-vasile/mimetype v1.4.16 // indirect
	github.com/go-playground/locales v0.14.2 // indirect
	github.com/go-playground/universal-translator v0.18.2 // indirect
	github.com/go-playground/validator/v10 v10.30.6 // indirect
	github.com/goccy/go-json v0.12.0
	github.com/google/uuid v1.6.0 // indirect
	github.com/leodido/go-urn v1.5.0 // indirect
	golang.org/x/crypto v0.58.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)

replace github.com/collabmeet/collabmeet => ../
