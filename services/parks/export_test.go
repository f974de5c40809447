package parks

import "github.com/incuchain/incuchain/pkg/httpx"

func pageAll() httpx.ListParams { return httpx.ListParams{Page: 1, PageSize: 200, Sort: "name"} }
