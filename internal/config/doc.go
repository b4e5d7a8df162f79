// Package config parses and validates brs configuration files.
//
// A brs file is HCL. It declares the roles whose credentials brs keeps fresh and,
// optionally, the plugins that provide their sources:
//
//	plugin "vault" {
//	  command = "./plugins/brs-plugin-vault"
//	  args    = ["--verbose"]
//	  sha256  = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
//	}
//
//	role "base" {
//	  source   = "sts"
//	  region   = "us-east-1"
//	  endpoint = "http://127.0.0.1:9000"
//	  refresh {
//	    advisory  = "5m"
//	    mandatory = "1m"
//	  }
//	  config {
//	    role_arn    = "arn:aws:iam::111122223333:role/analytics"
//	    external_id = env("ETL_EXTERNAL_ID")
//	  }
//	}
//
// Parse checks everything that does not depend on a plugin: the structure of the file,
// the types of the attributes, names, durations, URLs, checksums and the chains that
// source_role forms. A role's config block belongs to its source plugin, so it is only
// checked later, by DecodeConfig, against the schema that the plugin declares.
//
// Values are literals. Two functions exist: env(name) and env(name, default) read an
// environment variable, and file(path) reads a UTF-8 text file of up to 1 MiB, relative
// to the directory of the brs file. Variables, operators and other expressions are
// refused. Diagnostics never contain what env or file returned, since those are often
// secrets. An optional string attribute that is set to "" counts as not set, so that
// env("AWS_REGION", "") works. A plugin's sha256 may also be a line as sha256sum prints
// it, so that file("brs-plugin-vault.sha256") works.
//
// Every diagnostic from this package carries a Subject that points into the file;
// WriteDiagnostics prints them with source snippets.
package config
