package parks

import (
	"github.com/incuchain/incuchain/pkg/authz"
	"github.com/incuchain/incuchain/services/parks/internal/app"
	"github.com/incuchain/incuchain/services/parks/internal/domain"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "incuchain-demo"

// DemoAccount is a seeded login, for the banner and the README.
type DemoAccount struct{ Email, RoleZH, RoleEN string }

// DemoAccounts lists the seeded logins in the order the banner prints them.
var DemoAccounts = []DemoAccount{
	{"admin@incuchain.demo", "平台管理员", "platform admin"},
	{"officer@lixia.demo", "区科技局（只读）", "district officer (read-only)"},
	{"district@lixia.demo", "区科技局管理员", "district admin"},
	{"parkadmin@lixia.demo", "园区管理员 · 明湖国际信创产业园", "park admin"},
	{"operator@lixia.demo", "园区运营人员 · 明湖国际信创产业园", "park operator"},
	{"maker@lixia.demo", "园区管理员 · 历下创客空间", "park admin of a maker space"},
	{"incubator@lixia.demo", "园区管理员 · 历下科技企业孵化器", "park admin of an incubator"},
	{"founder@lixia.demo", "在孵企业成员", "startup member"},
	{"newstaff@lixia.demo", "尚无角色（用于授予演示）", "no roles yet (for granting)"},
}

func demo() ([]app.SeedRegion, []app.SeedUser) {
	sp := func(zh, en, addr string, area float64, cap int, inds ...string) domain.CarrierFields {
		return domain.CarrierFields{Kind: domain.SciencePark, NameZH: zh, NameEN: en, Address: addr, AreaM2: area, Capacity: cap, FocusIndustries: inds}
	}
	lixia := app.SeedRegion{Code: "lixia", NameZH: "历下区", NameEN: "Lixia District", Carriers: []domain.CarrierFields{
		sp("明湖国际信创产业园", "Minghu International Xinchuang Industrial Park", "济南市历下区", 120000, 200, "I65", "I64"),
		sp("明湖国际细胞医学产业园", "Minghu International Cell Medicine Industrial Park", "济南市历下区", 80000, 120, "M73", "C27"),
		sp("明湖国际资本产业园", "Minghu International Capital Industrial Park", "济南市历下区", 60000, 100, "J67", "J69"),
		{Kind: domain.Incubator, NameZH: "济南(历下)国际人才创新中心", NameEN: "Jinan (Lixia) International Talent Innovation Center", Address: "济南市历下区", AreaM2: 20000, Capacity: 80, FocusIndustries: []string{"M"}},
		sp("山东人工智能产业园", "Shandong Artificial Intelligence Industrial Park", "济南市历下区", 150000, 240, "I65", "M75"),
		{Kind: domain.MakerSpace, NameZH: "历下创客空间", NameEN: "Lixia Maker Space", Address: "济南市历下区", AreaM2: 1200, Capacity: 40, FocusIndustries: []string{"I"}},
		{Kind: domain.Incubator, NameZH: "历下科技企业孵化器", NameEN: "Lixia Technology Business Incubator", Address: "济南市历下区", AreaM2: 15000, Capacity: 60, FocusIndustries: []string{"I65", "M"}},
		{Kind: domain.Accelerator, NameZH: "历下科技企业加速器", NameEN: "Lixia Technology Business Accelerator", Address: "济南市历下区", AreaM2: 30000, Capacity: 30, FocusIndustries: []string{"C", "I"}},
		{Kind: domain.ConceptCenter, NameZH: "历下概念验证中心", NameEN: "Lixia Concept Verification Center", Address: "济南市历下区", AreaM2: 2000},
		{Kind: domain.PilotBase, NameZH: "历下中试基地", NameEN: "Lixia Pilot-scale Base", Address: "济南市历下区", AreaM2: 8000},
	}}
	huaiyin := app.SeedRegion{Code: "huaiyin", NameZH: "槐荫区", NameEN: "Huaiyin District", Carriers: []domain.CarrierFields{
		{Kind: domain.Incubator, NameZH: "槐荫科技企业孵化器", NameEN: "Huaiyin Technology Business Incubator", Address: "济南市槐荫区", AreaM2: 10000, Capacity: 50},
	}}
	const xinchuang = "carrier:lixia/明湖国际信创产业园"
	users := []app.SeedUser{
		{Email: "admin@incuchain.demo", DisplayName: "平台管理员", Password: DemoPassword, Roles: []app.SeedRole{{Role: authz.RolePlatformAdmin, Domain: "platform"}}},
		{Email: "officer@lixia.demo", DisplayName: "区科技局 王科长", Password: DemoPassword, Roles: []app.SeedRole{{Role: authz.RoleDistrictViewer, Domain: "region:lixia"}}},
		{Email: "district@lixia.demo", DisplayName: "区科技局 李主任", Password: DemoPassword, Roles: []app.SeedRole{{Role: authz.RoleDistrictAdmin, Domain: "region:lixia"}}},
		{Email: "parkadmin@lixia.demo", DisplayName: "信创园 张经理", Password: DemoPassword, Roles: []app.SeedRole{{Role: authz.RoleParkAdmin, Domain: xinchuang}}},
		{Email: "operator@lixia.demo", DisplayName: "信创园 刘运营", Password: DemoPassword, Roles: []app.SeedRole{{Role: authz.RoleParkOperator, Domain: xinchuang}}},
		{Email: "maker@lixia.demo", DisplayName: "创客空间 孙经理", Password: DemoPassword, Roles: []app.SeedRole{{Role: authz.RoleParkAdmin, Domain: "carrier:lixia/历下创客空间"}}},
		{Email: "incubator@lixia.demo", DisplayName: "孵化器 周经理", Password: DemoPassword, Roles: []app.SeedRole{{Role: authz.RoleParkAdmin, Domain: "carrier:lixia/历下科技企业孵化器"}}},
		// The founder's company and membership are the incubatees service's.
		{Email: "founder@lixia.demo", DisplayName: "创业者 陈总", Password: DemoPassword},
		{Email: "newstaff@lixia.demo", DisplayName: "新同事 赵", Password: DemoPassword},
		{Email: "officer@huaiyin.demo", DisplayName: "槐荫区科技局", Password: DemoPassword, Roles: []app.SeedRole{{Role: authz.RoleDistrictViewer, Domain: "region:huaiyin"}}},
		{Email: "parkadmin@huaiyin.demo", DisplayName: "槐荫孵化器 管理员", Password: DemoPassword, Roles: []app.SeedRole{{Role: authz.RoleParkAdmin, Domain: "carrier:huaiyin/槐荫科技企业孵化器"}}},
	}
	return []app.SeedRegion{lixia, huaiyin}, users
}
