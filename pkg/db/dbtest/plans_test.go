package dbtest_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/incuchain/incuchain/pkg/db/dbtest"
	"github.com/incuchain/incuchain/pkg/list"
)

func TestSortsFindsTheSortingNodeOfEachDialect(t *testing.T) {
	cases := []struct {
		plan []string
		want string
	}{
		{[]string{"SEARCH companies USING INDEX companies_region_name (region_id=?)"}, ""},
		{[]string{"SEARCH companies USING INDEX companies_region (region_id=?)", "USE TEMP B-TREE FOR ORDER BY"}, "USE TEMP B-TREE FOR ORDER BY"},
		{[]string{"SEARCH intake_calls USING INDEX intake_calls_carrier (carrier_id=?)", "USE TEMP B-TREE FOR LAST TERM OF ORDER BY"}, "USE TEMP B-TREE FOR LAST TERM OF ORDER BY"},
		{[]string{"SCAN d", "USE TEMP B-TREE FOR DISTINCT"}, ""},
		{[]string{"Limit  (cost=0.28..8.30 rows=1 width=496)", "  ->  Index Scan using companies_region_name on companies  (cost=0.28..8.30 rows=1 width=496)"}, ""},
		{[]string{"Limit  (cost=1.0..1.1 rows=1 width=496)", "  ->  Sort  (cost=1.0..1.1 rows=1 width=496)", "        Sort Key: name_zh, id"}, "  ->  Sort  (cost=1.0..1.1 rows=1 width=496)"},
		{[]string{"Limit", "  ->  Incremental Sort  (cost=1.0..1.1 rows=1 width=4)"}, "  ->  Incremental Sort  (cost=1.0..1.1 rows=1 width=4)"},
	}
	for _, c := range cases {
		if got := dbtest.Sorts(c.plan); got != c.want {
			t.Errorf("Sorts(%q) = %q, want %q", c.plan, got, c.want)
		}
	}
}

func TestInOrdersWalksTheDefaultAndEverySortBothWays(t *testing.T) {
	var got []string
	dbtest.InOrders(list.Params{Page: 2, PageSize: 20}, []string{"name"}, func(order string, p list.Params) {
		got = append(got, fmt.Sprintf("%s %d/%d %s/%v", order, p.Page, p.PageSize, p.Sort, p.Desc))
	})
	want := []string{`""/desc=false 2/20 /false`, `""/desc=true 2/20 /true`, `"name"/desc=false 2/20 name/false`, `"name"/desc=true 2/20 name/true`}
	if !slices.Equal(got, want) {
		t.Errorf("orders %q, want %q", got, want)
	}
}
