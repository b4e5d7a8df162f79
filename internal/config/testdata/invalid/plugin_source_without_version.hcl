plugin "vault" {
  source = "https://example.com/vault"
}

role "a" {
  source = "vault"
}
