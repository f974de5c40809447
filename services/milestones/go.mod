module github.com/incuchain/incuchain/services/milestones

go 1.26.8

require (
	github.com/gin-gonic/gin v1.12.0
	github.com/incuchain/incuchain/pkg v0.0.0
	github.com/uptrace/bun v1.3.0
)

replace github.com/incuchain/incuchain/pkg => ../../pkg
