package app

// IntakeTx stores intake calls, applications and reviews.
type IntakeTx interface{}
