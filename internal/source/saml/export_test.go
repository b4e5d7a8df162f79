package saml

import "time"

// WithNow sets the clock that decides whether another role's assertion is still
// valid, for tests that move the STS fake's clock.
func WithNow(now func() time.Time) Option { return func(r *Refresher) { r.now = now } }

// stsMaxAge, for tests.
const StsMaxAge = stsMaxAge
