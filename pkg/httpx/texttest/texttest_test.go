package texttest_test

import (
	"testing"

	"github.com/incuchain/incuchain/pkg/httpx"
	"github.com/incuchain/incuchain/pkg/httpx/texttest"
)

func TestSharedTextsHaveNoProblems(t *testing.T) {
	texttest.Check(t, httpx.Shared)
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name  string
		texts map[string]httpx.Message
		want  int
	}{
		{"good", map[string]httpx.Message{"t.a": {ZH: "共 {n} 条", EN: "{n} items"}}, 0},
		{"param by language", map[string]httpx.Message{"t.a": {ZH: "是{kind_zh}（{n}）", EN: "is {kind_en} ({n})"}}, 0},
		{"a param used twice", map[string]httpx.Message{"t.a": {ZH: "{n}，{n}", EN: "{n}"}}, 0},
		{"shared text again", map[string]httpx.Message{"title.not-found": {ZH: "未找到", EN: "Not found"}}, 0},
		{"no English", map[string]httpx.Message{"t.a": {ZH: "甲", EN: " "}}, 1},
		{"no Chinese", map[string]httpx.Message{"t.a": {EN: "A"}}, 1},
		{"placeholder lost", map[string]httpx.Message{"t.a": {ZH: "共 {n} 条", EN: "some items"}}, 1},
		{"placeholder renamed", map[string]httpx.Message{"t.a": {ZH: "共 {n} 条", EN: "{count} items"}}, 1},
		{"language param in the wrong language", map[string]httpx.Message{"t.a": {ZH: "是{kind_en}", EN: "is {kind_en}"}}, 1},
		{"shared key, another text", map[string]httpx.Message{"title.not-found": {ZH: "没有", EN: "Missing"}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := texttest.Problems(httpx.NewCatalog(tt.texts)); len(got) != tt.want {
				t.Errorf("problems %q, want %d", got, tt.want)
			}
		})
	}
}
