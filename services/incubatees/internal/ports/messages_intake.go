package ports

import "github.com/incuchain/incuchain/pkg/httpx"

// The intake area's user-visible texts, in zh-CN and en.
func init() {
	httpx.RegisterMessages(map[string]httpx.Message{
		"invalid-intake-call":        {ZH: "招募批次信息有误", EN: "The intake call has invalid fields"},
		"intake-call-not-found":      {ZH: "招募批次不存在", EN: "No such intake call"},
		"intake-call-closed":         {ZH: "招募批次已结束，不能再修改", EN: "The intake call is closed and can no longer change"},
		"intake-call-not-draft":      {ZH: "只有草稿状态的招募批次可以开放", EN: "Only a draft intake call can be opened"},
		"intake-call-not-open":       {ZH: "该招募批次当前未开放申请", EN: "The intake call is not taking applications"},
		"intake-call-full":           {ZH: "该招募批次已录满（名额 {capacity}）", EN: "The intake call is full (capacity {capacity})"},
		"invalid-application":        {ZH: "申请信息有误", EN: "The application has invalid fields"},
		"invalid-answers":            {ZH: "申请表填写有误", EN: "Some answers are invalid"},
		"application-not-found":      {ZH: "申请不存在", EN: "No such application"},
		"application-exists":         {ZH: "该企业对此招募批次已有进行中的申请", EN: "The company already has an open application to this call"},
		"application-not-draft":      {ZH: "只有草稿状态的申请可以修改", EN: "Only a draft application can be changed"},
		"application-bad-transition": {ZH: "申请当前为“{status}”，不能执行“{action}”", EN: "An application that is {status} does not allow {action}"},
		"invalid-application-review": {ZH: "评审打分有误", EN: "The review has invalid scores"},
		"invalid-decision":           {ZH: "决定信息有误", EN: "The decision has invalid fields"},
		"decisions-failed":           {ZH: "有 {count} 份申请无法决定，所有决定均未生效", EN: "{count} applications cannot be decided; none was"},
		"materials-incomplete":       {ZH: "申请材料不完整，请上传所缺材料后再提交", EN: "Some required materials are missing; upload them before submitting"},

		"field.listed_twice":          {ZH: "重复列出", EN: "is listed twice"},
		"field.before_opens_on":       {ZH: "截止日期不能早于开始日期", EN: "must not be before the opening date"},
		"field.in_past":               {ZH: "日期已过", EN: "is already past"},
		"field.too_many":              {ZH: "最多 {max} 项", EN: "at most {max} items"},
		"field.too_few":               {ZH: "至少 {min} 项", EN: "at least {min} items"},
		"field.unknown_material":      {ZH: "不是已知的材料类型：{value}", EN: "is not a known material type: {value}"},
		"field.bad_key":               {ZH: "应为小写字母开头，只含小写字母、数字和下划线（最多 40 位）", EN: "must start with a lowercase letter and use only a–z, 0–9 and _ (up to 40)"},
		"field.unknown_question_type": {ZH: "不是已知的题目类型：{value}", EN: "is not a known question type: {value}"},
		"field.money_unit":            {ZH: "金额题必须指定单位：yuan（元）或 thousand_yuan（千元）", EN: "a money question needs its unit: yuan or thousand_yuan"},
		"field.only_for_money":        {ZH: "只有金额题可以指定单位", EN: "only money questions have a unit"},
		"field.only_for_choice":       {ZH: "只有选择题可以设置选项", EN: "only choice questions have options"},
		"field.bad_option":            {ZH: "选项不能为空或重复", EN: "options must be non-empty and distinct"},
		"field.frozen_when_open":      {ZH: "招募开放后不能再修改", EN: "cannot change once the call is open"},
		"field.unknown_question":      {ZH: "此招募批次没有这道题", EN: "is not a question of this call"},
		"field.want_text":             {ZH: "应为文字", EN: "must be text"},
		"field.want_number":           {ZH: "应为数字", EN: "must be a number"},
		"field.want_money":            {ZH: "金额应写作 {\"amount\": 整数, \"unit\": 单位}", EN: "money is {\"amount\": integer, \"unit\": unit}"},
		"field.money_unit_missing":    {ZH: "金额必须注明单位（本题为 {want}）", EN: "money needs an explicit unit ({want} for this question)"},
		"field.money_unit_mismatch":   {ZH: "本题金额单位为 {want}，而不是 {got}", EN: "this question is in {want}, not {got}"},
		"field.not_an_option":         {ZH: "应为以下之一：{allowed}", EN: "must be one of: {allowed}"},
		"field.want_document_id":      {ZH: "应为文件编号", EN: "must be a document id"},
		"field.unknown_criterion":     {ZH: "不是此招募批次的评审维度", EN: "is not a criterion of this call"},
		"field.company_other_region":  {ZH: "只能申请本企业所在区域的招募", EN: "the company must be in the call's region"},
		"field.not_found":             {ZH: "不存在或不属于本载体", EN: "does not exist or is not this carrier's"},
		"field.bad_transition":        {ZH: "当前状态不能作此决定", EN: "cannot be decided in its current status"},
		"field.call_full":             {ZH: "招募批次已录满", EN: "its intake call is full"},
		"field.material_missing":      {ZH: "尚未上传此材料", EN: "this material has not been uploaded"},
		"field.material_returned":     {ZH: "此材料已被退回，请上传新版本", EN: "this material was returned; upload a new version"},
	})
}
