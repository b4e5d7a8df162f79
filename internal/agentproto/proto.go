package agentproto

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// MaxMessage bounds one request or response on the socket. A status of 1,000 roles
// is well under it.
const MaxMessage = 1 << 20

// MaxRequest bounds a request: a config path and a few plugin directories.
const MaxRequest = 64 << 10

// Operations of a Request.
const (
	// OpCredentials asks for a role's credentials.
	OpCredentials = "credentials"
	// OpStatus asks for the state of a config file's roles, without fetching.
	OpStatus = "status"
	// OpInfo asks about the agent itself.
	OpInfo = "info"
	// OpStop asks the agent to exit.
	OpStop = "stop"
	// OpRefresh asks for new credentials of Roles (every role if none) now, even
	// while a role backs off after a failure.
	OpRefresh = "refresh"
	// OpAnswers carries the client's answers to a CodePrompt response, on the
	// connection of the request it belongs to.
	OpAnswers = "answers"
)

// MaxPromptRounds bounds how many CodePrompt responses one request may get.
const MaxPromptRounds = 8

// Codes of a failed Response.
const (
	// CodeNoRole: the config file has no such role.
	CodeNoRole = "no-role"
	// CodeConfig: the config file does not load; Diagnostics says why.
	CodeConfig = "config"
	// CodeFetch: the role has no credentials.
	CodeFetch = "fetch"
	// CodeEnv: a variable the agent itself reads differs from the client's; run
	// in-process.
	CodeEnv = "env"
	// CodeNotLoaded: the agent holds no host for the config file (status only).
	CodeNotLoaded = "not-loaded"
	// CodeBadRequest: the request is malformed.
	CodeBadRequest = "bad-request"
	// CodeVersion: the agent runs another version of brs than the client.
	CodeVersion = "version"
	// CodeRefused: the peer is another user.
	CodeRefused = "refused"
	// CodeBusy: the agent holds as many hosts as it may, all in use; run in-process.
	CodeBusy = "busy"
	// CodeStopping: the agent is stopping.
	CodeStopping = "stopping"
	// CodePrompt is not a failure: a source asks the person at the client's
	// terminal (Prompts, for Role); the client answers with an OpAnswers request on
	// the same connection, then reads on. Only a client that set Request.Prompt gets it.
	CodePrompt = "prompt"
)

// Request is what a client asks. One per connection.
type Request struct {
	Op string `json:"op"`
	// Config is the config file's absolute path (credentials, status).
	Config string `json:"config,omitempty"`
	// PluginDirs are the client's --plugin-dir flags, in order.
	PluginDirs []string `json:"plugin_dirs,omitempty"`
	// Role is the role asked for (credentials).
	Role string `json:"role,omitempty"`
	// Roles are the roles to refresh (refresh); none means every role.
	Roles []string `json:"roles,omitempty"`
	// Environ is the client's environment but for the variables only clients read
	// (ClientEnviron). The agent keeps the values of those its host reads.
	Environ []string `json:"environ,omitempty"`
	// Color asks for diagnostics with terminal colours.
	Color bool `json:"color,omitempty"`
	// Version is the client's brs version; an agent of another version answers
	// CodeVersion.
	Version string `json:"version,omitempty"`
	// Prompt says the client can ask the person at its terminal what a source
	// needs answered (an MFA code): the agent may then answer CodePrompt first.
	Prompt bool `json:"prompt,omitempty"`
	// Answers are the answers to a CodePrompt response, by prompt id (OpAnswers).
	Answers map[string]string `json:"answers,omitempty"`
}

// Prompt is one question a source asks the person at the client's terminal.
type Prompt struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Secret bool   `json:"secret,omitempty"`
}

// Response is the agent's answer.
type Response struct {
	// Error is the failure, redacted; empty on success. Code classifies it.
	Error string `json:"error,omitempty"`
	Code  string `json:"code,omitempty"`
	// Diagnostics is the config file's problems with the lines they point at, then
	// one line each as FILE:LINE:COLUMN (CodeConfig).
	Diagnostics string `json:"diagnostics,omitempty"`
	// Warnings are the config file's warnings, one line each.
	Warnings []string `json:"warnings,omitempty"`

	// Role and Prompts are what a source asks, and for which role (CodePrompt).
	Role    string   `json:"role,omitempty"`
	Prompts []Prompt `json:"prompts,omitempty"`

	// Credentials and the role's settings (OpCredentials).
	Credentials *Credentials `json:"credentials,omitempty"`
	Source      string       `json:"source,omitempty"`
	Region      string       `json:"region,omitempty"`
	Endpoint    string       `json:"endpoint,omitempty"`

	// Refreshed is the outcome of each role's refresh (OpRefresh).
	Refreshed []Refreshed `json:"refreshed,omitempty"`

	// Roles and Plugins are the live state of a config file's host (OpStatus).
	Roles   []RoleStatus `json:"roles,omitempty"`
	Plugins []Plugin     `json:"plugins,omitempty"`
	// Loaded is when the host was loaded or last reloaded (OpStatus).
	Loaded time.Time `json:"loaded,omitzero"`

	// Agent describes the agent (every operation).
	Agent Info `json:"agent"`
}

// Credentials are a role's credentials as the source returned them.
type Credentials struct {
	AccessKeyID     string    `json:"access_key_id"`
	SecretAccessKey string    `json:"secret_access_key"`
	SessionToken    string    `json:"session_token,omitempty"`
	Expires         time.Time `json:"expires,omitzero"`
	AccountID       string    `json:"account_id,omitempty"`
	ARN             string    `json:"arn,omitempty"`
}

// RoleStatus is host.RoleStatus with the errors as strings.
type RoleStatus struct {
	Role        string    `json:"role"`
	Source      string    `json:"source"`
	SourceRole  string    `json:"source_role,omitempty"`
	Region      string    `json:"region,omitempty"`
	Endpoint    string    `json:"endpoint,omitempty"`
	Plugin      string    `json:"plugin"`
	AccessKeyID string    `json:"access_key_id,omitempty"`
	AccountID   string    `json:"account_id,omitempty"`
	ARN         string    `json:"arn,omitempty"`
	Expires     time.Time `json:"expires,omitzero"`
	LastRefresh time.Time `json:"last_refresh,omitzero"`
	NextRefresh time.Time `json:"next_refresh,omitzero"`
	Refreshing  bool      `json:"refreshing"`
	Refreshes   int       `json:"refreshes"`
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`
	Failures    int       `json:"failures"`
}

// Refreshed is the outcome of one role's forced refresh.
type Refreshed struct {
	Role        string    `json:"role"`
	AccessKeyID string    `json:"access_key_id,omitempty"`
	Expires     time.Time `json:"expires,omitzero"`
	Error       string    `json:"error,omitempty"`
}

// Plugin is one running plugin of a host.
type Plugin struct {
	Name  string   `json:"name"`
	Path  string   `json:"path"`
	PID   int      `json:"pid"`
	Roles []string `json:"roles"`
}

// Info describes the agent.
type Info struct {
	PID     int       `json:"pid"`
	Started time.Time `json:"started,omitzero"`
	Socket  string    `json:"socket,omitempty"`
	Log     string    `json:"log,omitempty"`
	// Idle is how long the agent waits without a client before it exits.
	Idle time.Duration `json:"idle"`
	// Version is the agent's brs version.
	Version string `json:"version,omitempty"`
	// Configs are the config files it holds a host for.
	Configs []string `json:"configs,omitempty"`
	// Hosts are its live hosts.
	Hosts []HostInfo `json:"hosts,omitempty"`
}

// HostInfo describes one live host of the agent: one per config file, plugin
// directories and values of the variables its sources read.
type HostInfo struct {
	Config     string   `json:"config"`
	PluginDirs []string `json:"plugin_dirs,omitempty"`
	// Variables are the names (never the values) of the variables that separate
	// this host from others of the file.
	Variables []string `json:"variables"`
	Roles     []string `json:"roles"`
	// Clients counts the credential requests it served.
	Clients int `json:"clients"`
}

// WriteMsg writes v as one length-prefixed JSON message.
func WriteMsg(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if len(b) > MaxMessage {
		return fmt.Errorf("message of %d bytes is over the limit of %d", len(b), MaxMessage)
	}
	buf := make([]byte, 4+len(b))
	binary.BigEndian.PutUint32(buf, uint32(len(b)))
	copy(buf[4:], b)
	_, err = w.Write(buf)
	return err
}

// ReadMsg reads one length-prefixed JSON message into v. A length over MaxMessage is
// refused before anything is allocated. strict is for requests, which the agent reads
// strictly: unknown fields are refused, and so is a length over MaxRequest (a client
// reads an agent of another version leniently).
func ReadMsg(r io.Reader, v any, strict bool) error {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	limit := uint32(MaxMessage)
	if strict {
		limit = MaxRequest
	}
	if n > limit {
		return fmt.Errorf("message of %d bytes is over the limit of %d", n, limit)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return fmt.Errorf("reading a message of %d bytes: %w", n, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decoding a message: %w", err)
	}
	if dec.More() {
		return fmt.Errorf("decoding a message: data after the JSON value")
	}
	return nil
}
