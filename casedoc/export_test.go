package casedoc

// Scanned reports whether the fast path decodes data alone, without the
// decoder that words errors.
func Scanned(data []byte) bool { return scan(data, new(Case)) == nil }
