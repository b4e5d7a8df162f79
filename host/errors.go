package host

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/brs-go/brs/internal/cache"
)

// ErrUnknownRole is wrapped by the error of every method that takes a role name when
// the configuration declares no role of that name. Test for it with errors.Is.
var ErrUnknownRole = errors.New("unknown role")

// unknownRoleError names the role asked for and the roles there are.
type unknownRoleError struct {
	name, path string
	roles      []string
}

func (e *unknownRoleError) Error() string {
	return fmt.Sprintf("brs: no role %q in %s (roles: %s)", e.name, e.path, strings.Join(e.roles, ", "))
}

// Unwrap returns ErrUnknownRole.
func (e *unknownRoleError) Unwrap() error { return ErrUnknownRole }

// CredentialsError is returned when a role has no valid credentials to give: its
// source failed and nothing valid is cached, or a forced Refresh failed. Test for it
// with errors.As; its cause (often a *shared.Error with the source's error code) is
// reached with errors.As or errors.Unwrap.
type CredentialsError struct {
	// Role and Source name the role and its credential source.
	Role, Source string
	// Failures is the number of consecutive failed refreshes, this one included.
	Failures int
	// RetryIn is how long until the host asks the source again by itself; zero when
	// unknown or when it will not until asked.
	RetryIn time.Duration
	// Err is the cause: the source's last error.
	Err error
}

// Error says which role failed, why, and when the next attempt is.
func (e *CredentialsError) Error() string {
	msg := fmt.Sprintf("brs: role %q (source %q): no valid credentials: %v", e.Role, e.Source, e.Err)
	if e.RetryIn > 0 {
		msg += fmt.Sprintf(" (next attempt in %v)", e.RetryIn)
	}
	return msg
}

// Unwrap returns the cause.
func (e *CredentialsError) Unwrap() error { return e.Err }

// credentialsError turns the cache's error into the public one; other errors (a
// cancelled context, a closed host) pass unchanged.
func credentialsError(err error) error {
	var ce *cache.Error
	if err == nil || !errors.As(err, &ce) {
		return err
	}
	retryIn := ce.RetryIn
	if asksPerson(ce.Err) {
		retryIn = 0 // the next caller who can answer tries at once
	}
	return &CredentialsError{Role: ce.Role, Source: ce.Source, Failures: ce.Failures, RetryIn: retryIn, Err: ce.Err}
}
