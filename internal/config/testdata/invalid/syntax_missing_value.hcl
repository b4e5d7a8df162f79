role "a" {
  source =
}
