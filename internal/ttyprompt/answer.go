package ttyprompt

import (
	"context"
	"fmt"

	"github.com/brs-go/brs/internal/agentproto"
	"github.com/brs-go/brs/internal/safetext"
)

// maxText bounds the text of a prompt shown at the terminal.
const maxText = 256

// Answer is an agentproto.Asker that asks each prompt at the controlling terminal,
// its text escaped and cut (it comes from a source through the agent), and returns
// the answers by prompt id.
func Answer(ctx context.Context, role string, prompts []agentproto.Prompt) (map[string]string, error) {
	answers := make(map[string]string, len(prompts))
	for _, p := range prompts {
		a, err := Ask(ctx, safetext.Clean(p.Text, maxText), Options{Echo: !p.Secret})
		if err != nil {
			return nil, fmt.Errorf("role %q: %w", role, err)
		}
		answers[p.ID] = a
	}
	return answers, nil
}
