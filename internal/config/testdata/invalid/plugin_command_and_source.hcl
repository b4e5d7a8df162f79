plugin "vault" {
  command = "brs-plugin-vault"
  source  = "https://example.com/vault"
  version = "1.0.0"
}

role "a" {
  source = "vault"
}
