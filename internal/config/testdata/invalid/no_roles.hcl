# Only comments and plugins: no role.

plugin "vault" {
  command = "/opt/brs/vault"
}
