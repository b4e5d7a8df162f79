package agent

import (
	"io"

	"github.com/brs-go/brs/internal/agentproto"
)

// The protocol lives in internal/agentproto, which a client links without the host;
// these names keep the agent's API.

// MaxMessage bounds one request or response on the socket.
const MaxMessage = agentproto.MaxMessage

// MaxRequest bounds a request.
const MaxRequest = agentproto.MaxRequest

// Bounds of a request's fields: a path's length (PATH_MAX) and the number of plugin
// directories.
const (
	maxPath       = 4096
	maxPluginDirs = 16
)

// Operations of a Request (see agentproto).
const (
	OpCredentials = agentproto.OpCredentials
	OpStatus      = agentproto.OpStatus
	OpInfo        = agentproto.OpInfo
	OpStop        = agentproto.OpStop
	OpRefresh     = agentproto.OpRefresh
	OpAnswers     = agentproto.OpAnswers
)

// Codes of a failed Response (see agentproto).
const (
	CodeNoRole     = agentproto.CodeNoRole
	CodeConfig     = agentproto.CodeConfig
	CodeFetch      = agentproto.CodeFetch
	CodeEnv        = agentproto.CodeEnv
	CodeNotLoaded  = agentproto.CodeNotLoaded
	CodeBadRequest = agentproto.CodeBadRequest
	CodeVersion    = agentproto.CodeVersion
	CodeRefused    = agentproto.CodeRefused
	CodeBusy       = agentproto.CodeBusy
	CodeStopping   = agentproto.CodeStopping
	CodePrompt     = agentproto.CodePrompt
)

// Request is agentproto.Request.
type Request = agentproto.Request

// Response is agentproto.Response.
type Response = agentproto.Response

// Credentials is agentproto.Credentials.
type Credentials = agentproto.Credentials

// RoleStatus is agentproto.RoleStatus.
type RoleStatus = agentproto.RoleStatus

// Refreshed is agentproto.Refreshed.
type Refreshed = agentproto.Refreshed

// Plugin is agentproto.Plugin.
type Plugin = agentproto.Plugin

// Info is agentproto.Info.
type Info = agentproto.Info

// HostInfo is agentproto.HostInfo.
type HostInfo = agentproto.HostInfo

func writeMsg(w io.Writer, v any) error { return agentproto.WriteMsg(w, v) }

func readMsg(r io.Reader, v any, strict bool) error { return agentproto.ReadMsg(r, v, strict) }
