# file-plugin.hcl: a third-party plugin. examples/plugin builds brs-plugin-file, whose
# "file" source reads credentials in the credential_process JSON format from a file
# that another program (a sidecar, a Vault agent) keeps rewriting.
#
#   go build -o /tmp/brs-plugin-file ./examples/plugin
#   BRS_FILE_PLUGIN=/tmp/brs-plugin-file \
#   BRS_CREDENTIALS_FILE=/run/secrets/aws-credentials.json \
#     brs -c examples/hcl/file-plugin.hcl credential-process sidecar
#
# Environment:
#   BRS_FILE_PLUGIN       the plugin binary; default: brs-plugin-file on $PATH
#   BRS_CREDENTIALS_FILE  the credentials file; default below

# Third-party plugins are named in a plugin block. command is an absolute path, a
# path relative to this file, or a name looked up on $PATH.
plugin "file" {
  command = env("BRS_FILE_PLUGIN", "brs-plugin-file")
  # sha256 = "…" # refuse to start a binary with another SHA-256 (as sha256sum prints it)
}

role "sidecar" {
  source = "file"
  config {
    # Read again at every refresh.
    path = env("BRS_CREDENTIALS_FILE", "/run/secrets/aws-credentials.json")
    # Refuse a file not rewritten for this long: its writer has probably stopped.
    max_age = "30m"
  }
}
