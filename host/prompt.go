package host

import (
	"context"
	"errors"
	"fmt"

	"github.com/brs-go/brs/shared"
)

// Prompter asks a person the prompts a source needs answered before it can refresh
// role (an MFA code, say), and returns the answers by shared.Prompt.ID. It is called
// while the refresh waits, within the refresh's deadline (ctx).
type Prompter func(ctx context.Context, role string, prompts []shared.Prompt) (map[string]string, error)

type prompterKey struct{}

// ContextWithPrompter returns a copy of ctx with which a call (Credentials, Refresh,
// a Provider's Retrieve) lets the refreshes it starts or waits on ask p when a source
// answers shared.CodeInputRequired, as the session and sts sources do for an MFA code
// when they have no mfa_token_command and no terminal of their own (a program
// without one, a plugin of the agent). Without a prompter such a refresh fails with
// the source's message.
func ContextWithPrompter(ctx context.Context, p Prompter) context.Context {
	return context.WithValue(ctx, prompterKey{}, p)
}

// prompterFrom returns the prompter of ctx, or nil.
func prompterFrom(ctx context.Context) Prompter {
	p, _ := ctx.Value(prompterKey{}).(Prompter)
	return p
}

// maxPromptRounds bounds how often one refresh asks: a source that asks again after
// its answers (a password, then a code) gets two more rounds, not a loop.
const maxPromptRounds = 3

// inputRequired returns err's InputRequired error with prompts, or nil.
func inputRequired(err error) *shared.Error {
	var se *shared.Error
	if errors.As(err, &se) && se.Code == shared.CodeInputRequired && len(se.Prompts) > 0 {
		return se
	}
	return nil
}

// canAnswer reports whether a caller with ctx can answer what err asks for: err
// needs input (here, or up a source_role chain), or came after asking (a mistyped
// code), and ctx has a prompter. Such a caller refreshes even while the role holds
// off after err.
func canAnswer(ctx context.Context, err error) bool {
	return asksPerson(err) && prompterFrom(ctx) != nil
}

// asksPerson reports whether err is the failure of a refresh that needs, or had, a
// person's answer.
func asksPerson(err error) bool {
	var se *shared.Error
	return errors.As(err, &se) && (se.Code == shared.CodeInputRequired || len(se.Prompts) > 0)
}

// ask has the caller's prompter answer se's prompts for role and returns the
// answers, each checked against what was asked.
func (h *Host) ask(ctx context.Context, p Prompter, role string, se *shared.Error) (map[string]string, error) {
	answers, err := p(ctx, role, se.Prompts)
	if err != nil {
		if ctx.Err() != nil {
			return nil, shared.Retryable("Canceled", "role %q: the refresh ended while waiting for an answer at the terminal: %v", role, ctx.Err())
		}
		return nil, shared.Permanent("PromptFailed", "role %q: the source needs an answer at the terminal, and asking failed: %s", role, h.redact.String(err.Error()))
	}
	asked := make(map[string]bool, len(se.Prompts))
	for _, q := range se.Prompts {
		asked[q.ID] = true
	}
	var secrets []string
	for id, a := range answers {
		switch {
		case !asked[id]:
			return nil, shared.Permanent("PromptFailed", "role %q: an answer to a prompt that was not asked (%s)", role, shared.Clean(id, shared.MaxSummaryLen))
		case len(a) > shared.MaxAnswerLen:
			return nil, shared.Permanent("PromptFailed", "role %q: an answer of %d bytes, at most %d", role, len(a), shared.MaxAnswerLen)
		}
		secrets = append(secrets, a)
	}
	if len(answers) == 0 {
		return nil, shared.Permanent("PromptFailed", "role %q: nothing was answered at the terminal", role)
	}
	// What was typed may be a password: never in a log line of the plugin's.
	h.redact.add(role+"/answers", 2*maxPromptRounds, secrets...)
	return answers, nil
}

// sourceRoleError is the error of a role whose source_role failed with err. A
// source_role that needs input keeps the code, so that a caller who can answer
// refreshes the chain (and answers the source_role's prompts) at once.
func sourceRoleError(parent string, err error) *shared.Error {
	var se *shared.Error
	if errors.As(err, &se) && se.Code == shared.CodeInputRequired {
		return &shared.Error{Code: shared.CodeInputRequired, Message: fmt.Sprintf("source_role %q: %s", parent, se.Message)}
	}
	return shared.Retryable("SourceRoleFailed", "source_role %q: %v", parent, err)
}
