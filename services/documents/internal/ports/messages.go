package ports

import "github.com/incuchain/incuchain/pkg/httpx"

// Messages are the documents service's own texts; its engine answers from them,
// then from httpx's shared ones (httpx.WithTexts).
var Messages = httpx.NewCatalog()

// The documents service's user-visible texts, in zh-CN and en.
func init() {
	Messages.Add(map[string]httpx.Message{
		"invalid-upload":              {ZH: "上传内容有误", EN: "The upload has invalid fields"},
		"invalid-document-type":       {ZH: "资料类型设置有误", EN: "The document type has invalid fields"},
		"invalid-review":              {ZH: "审核意见有误", EN: "The review has invalid fields"},
		"document-not-found":          {ZH: "资料不存在", EN: "No such document"},
		"version-not-found":           {ZH: "该版本不存在", EN: "No such version"},
		"content-missing":             {ZH: "该版本的文件已不在存储中（已清理或丢失）", EN: "This version's file is no longer in storage (purged or lost)"},
		"checklist-not-found":         {ZH: "材料清单不存在（若刚创建申请，请稍候再试）", EN: "No such checklist (if the application was just created, try again in a moment)"},
		"checklist-closed":            {ZH: "该申请已有结论，材料不能再更改", EN: "The application has been decided; its materials can no longer change"},
		"company-not-found":           {ZH: "企业不存在", EN: "No such company"},
		"carrier-not-found":           {ZH: "载体不存在", EN: "No such carrier"},
		"region-not-found":            {ZH: "区域不存在", EN: "No such region"},
		"upload-not-found":            {ZH: "上传任务不存在", EN: "No such upload"},
		"upload-not-pending":          {ZH: "该上传任务已结束（{state}）", EN: "The upload is no longer pending ({state})"},
		"upload-expired":              {ZH: "上传链接已过期，请重新上传", EN: "The upload link has expired; please upload again"},
		"upload-missing":              {ZH: "尚未收到文件", EN: "The file has not arrived"},
		"upload-size-mismatch":        {ZH: "收到的文件大小与声明不符", EN: "The file received is not the size declared"},
		"upload-incomplete":           {ZH: "文件未完整上传（声明 {declared} 字节，收到 {received} 字节）", EN: "The file did not arrive whole (declared {declared} bytes, received {received})"},
		"checksum-mismatch":           {ZH: "文件校验值（SHA-256）不符，文件可能已损坏", EN: "The file's SHA-256 does not match; it may be corrupt"},
		"file-too-large":              {ZH: "文件超过该类资料的大小上限 {max}", EN: "The file exceeds this document type's limit of {max}"},
		"quota-exceeded":              {ZH: "载体存储空间已满（已用 {used}，上限 {quota}）", EN: "The carrier's storage is full ({used} used of {quota})"},
		"type-not-allowed":            {ZH: "文件是{detected_zh}，该类资料只接受：{allowed_zh}", EN: "The file is: {detected_en}. This document type accepts only: {allowed_en}"},
		"archive-member-refused":      {ZH: "压缩包中有 {count} 个文件不能作为该类资料上传", EN: "{count} file(s) in the archive cannot be uploaded as this document type"},
		"executable-refused":          {ZH: "文件是可执行程序（无论扩展名如何），不能作为资料上传", EN: "The file is an executable program (whatever its extension) and cannot be uploaded as a material"},
		"archive-bomb":                {ZH: "压缩包解压后过大或层层嵌套，已拒绝", EN: "The archive expands too far or nests archives; refused"},
		"storage-unavailable":         {ZH: "文件存储暂不可用，请稍后重试；未保存任何内容", EN: "File storage is unavailable; nothing was saved, please retry later"},
		"document-deleted":            {ZH: "资料已删除", EN: "The document has been deleted"},
		"document-verified":           {ZH: "已核验的资料不能删除", EN: "A verified document cannot be deleted"},
		"version-purged":              {ZH: "该版本的文件已清理", EN: "This version's file has been purged"},
		"document-bad-transition":     {ZH: "资料当前状态（{status}）不允许该操作（{action}）", EN: "The document's status ({status}) does not allow {action}"},
		"slot-taken":                  {ZH: "该材料位置刚被其他上传占用，请重试", EN: "Another upload just filled this slot; please retry"},
		"not-allowed":                 {ZH: "您没有执行此操作的权限", EN: "You are not allowed to do this"},
		"field.not_in_checklist":      {ZH: "该申请的材料清单不需要此类资料：{value}", EN: "the checklist does not ask for this type: {value}"},
		"field.unknown_document_type": {ZH: "不是已知的资料类型：{value}", EN: "is not a known document type: {value}"},
		"field.unknown_content_type":  {ZH: "不是可识别的内容类型：{value}", EN: "is not a content type the service recognizes: {value}"},
		"field.not_linked":            {ZH: "企业与该载体没有关联", EN: "the company has no link to this carrier"},
		"field.name_path":             {ZH: "文件名不能包含路径（/、\\ 或 ..）", EN: "a file name cannot contain a path (/, \\ or ..)"},
		"field.name_control":          {ZH: "文件名不能包含控制字符（如 NUL）", EN: "a file name cannot contain control characters (such as NUL)"},
		"field.name_bidi":             {ZH: "文件名不能包含文字方向控制字符（可伪装扩展名）", EN: "a file name cannot contain bidirectional controls (they disguise extensions)"},
		"field.name_encoding":         {ZH: "文件名不是有效的 UTF-8", EN: "the file name is not valid UTF-8"},
		"field.name_too_long":         {ZH: "文件名过长（最多 200 个字符）", EN: "the file name is too long (200 characters at most)"},
		"field.archive_bomb":          {ZH: "压缩包不安全（{reason}）", EN: "the archive is unsafe ({reason})"},
		"field.type_not_allowed":      {ZH: "文件是{detected_zh}，该类资料只接受：{allowed_zh}", EN: "the file is: {detected_en}; this document type accepts only: {allowed_en}"},
		"field.member_not_allowed":    {ZH: "压缩包中的“{member}”是{detected_zh}，该类资料只接受：{allowed_zh}", EN: "\"{member}\" in the archive is: {detected_en}; this document type accepts only: {allowed_en}"},
		"field.member_executable":     {ZH: "压缩包中的“{member}”是可执行程序（无论扩展名如何），不能上传", EN: "\"{member}\" in the archive is an executable program (whatever its extension) and cannot be uploaded"},
		"field.members_more":          {ZH: "另有 {more} 个文件同样不被接受", EN: "{more} more file(s) are refused for the same reasons"},
		"field.empty":                 {ZH: "文件为空", EN: "the file is empty"},
		"field.not_uploaded":          {ZH: "尚未收到文件", EN: "the file has not arrived"},
		"field.size_mismatch":         {ZH: "收到 {received} 字节，声明 {declared} 字节", EN: "received {received} bytes, declared {declared}"},
		"field.checksum_mismatch":     {ZH: "SHA-256 校验值不符", EN: "the SHA-256 does not match"},
		"field.sha256_format":         {ZH: "应为 64 位十六进制 SHA-256", EN: "must be a 64-digit hex SHA-256"},
	})
}
