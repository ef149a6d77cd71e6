package invocation

// RedactQuery is redactQuery, for the tests.
var RedactQuery = redactQuery
