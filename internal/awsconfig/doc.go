// Package awsconfig translates AWS shared config files (~/.aws/config and
// ~/.aws/credentials) into brs config files, for `brs import`.
//
// The files are parsed as aws-sdk-go-v2 parses them (its parser is internal to the
// SDK): the same comments, quoting, sub-sections, merging of duplicate sections and of
// the two files. No secret of the files is ever written out: a profile with long-term
// keys is named by the roles it signs (the sts source's profile attribute), and brs
// reads the keys from the AWS files at refresh time.
package awsconfig
