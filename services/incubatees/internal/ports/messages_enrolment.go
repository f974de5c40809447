package ports

import "github.com/incuchain/incuchain/pkg/httpx"

// Texts of direct enrolment offers.
func init() {
	Messages.Add(map[string]httpx.Message{
		"invalid-enrolment":            {ZH: "入驻邀请有误", EN: "The enrolment offer has invalid fields"},
		"enrolment-not-found":          {ZH: "入驻邀请不存在", EN: "No such enrolment offer"},
		"enrolment-pending":            {ZH: "已向该企业发出入驻邀请，正在等待企业答复", EN: "An offer to this company is already waiting for its answer"},
		"enrolment-transition-refused": {ZH: "入驻邀请状态为“{status}”时不能执行“{action}”", EN: "An enrolment offer in status {status} cannot {action}"},
		"field.one_of_company_id_uscc": {ZH: "企业编号和统一社会信用代码只填一项", EN: "give either the company id or the USCC, not both"},
	})
}
