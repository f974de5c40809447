package parks

import "github.com/incuchain/incuchain/pkg/list"

func pageAll() list.Params { return list.Params{Page: 1, PageSize: 200, Sort: "name"} }
