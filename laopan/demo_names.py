"""Who is in the demo data (`laopan.demo`): word lists, text templates, and the makers of people,
organisations and agents with valid ID numbers, credit codes and phones.

Weights are rough shares, not statistics: common surnames follow the national ranking, with a few surnames
typical of Ningbo (应 俞 邬 竺 忻 虞) added.
"""

import bisect
import datetime as dt
import itertools
import operator
import random
from collections.abc import Iterable

# (surname, weight); compound surnames give the occasional 3–4 character name.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 7.1), ("李", 7.0), ("张", 6.7), ("刘", 5.4), ("陈", 5.6), ("杨", 3.1), ("黄", 2.5), ("赵", 2.0),
    ("吴", 2.2), ("周", 2.1), ("徐", 1.9), ("孙", 1.5), ("马", 1.2), ("朱", 1.3), ("胡", 1.4), ("郭", 1.1),
    ("何", 1.0), ("林", 1.2), ("高", 1.0), ("罗", 0.9), ("郑", 0.9), ("梁", 0.8), ("谢", 0.7), ("宋", 0.6),
    ("唐", 0.6), ("许", 0.6), ("韩", 0.6), ("冯", 0.5), ("邓", 0.5), ("曹", 0.5), ("彭", 0.5), ("曾", 0.5),
    ("肖", 0.5), ("田", 0.4), ("董", 0.5), ("潘", 0.4), ("袁", 0.4), ("蔡", 0.4), ("蒋", 0.4), ("余", 0.4),
    ("于", 0.4), ("杜", 0.4), ("叶", 0.5), ("程", 0.3), ("魏", 0.3), ("苏", 0.3), ("吕", 0.3), ("丁", 0.3),
    ("任", 0.3), ("沈", 0.4), ("姚", 0.3), ("卢", 0.3), ("傅", 0.3), ("钟", 0.3), ("姜", 0.3), ("崔", 0.2),
    ("谭", 0.2), ("廖", 0.2), ("范", 0.2), ("汪", 0.2), ("陆", 0.3), ("金", 0.3), ("石", 0.2), ("戴", 0.2),
    ("贾", 0.2), ("韦", 0.2), ("夏", 0.2), ("邱", 0.2), ("方", 0.2), ("侯", 0.2), ("邹", 0.2), ("熊", 0.2),
    ("孟", 0.2), ("秦", 0.2), ("白", 0.2), ("江", 0.2), ("阎", 0.1), ("薛", 0.1), ("尹", 0.1), ("段", 0.1),
    ("雷", 0.1), ("黎", 0.1), ("史", 0.15), ("龙", 0.1), ("陶", 0.1), ("贺", 0.1), ("顾", 0.1), ("毛", 0.15),
    ("郝", 0.1), ("龚", 0.1), ("邵", 0.1), ("万", 0.1), ("钱", 0.1), ("严", 0.1), ("赖", 0.1), ("覃", 0.1),
    ("洪", 0.1), ("武", 0.1), ("莫", 0.1), ("孔", 0.1), ("应", 0.25), ("俞", 0.2), ("邬", 0.1), ("竺", 0.06),
    ("忻", 0.05), ("虞", 0.08), ("鲍", 0.08), ("屠", 0.06), ("欧阳", 0.03), ("司马", 0.01), ("诸葛", 0.01),
)

# Characters of given names by era of birth (before 1970, 1970–1989, from 1990) and sex.
GIVEN_CHARS: dict[tuple[int, str], str] = {
    (0, "male"): "建国华明伟军平强志勇林德福根荣海宝忠文祥庆生发金永兴春新民成龙",
    (0, "female"): "秀英兰芳珍凤玉桂梅华琴萍娟红霞丽美素彩月菊娣娥雅芬爱翠",
    (1, "male"): "伟磊勇军杰涛斌超明刚峰强辉鹏波浩俊健亮宁飞锋东海凯晨斌剑",
    (1, "female"): "丽静敏燕艳娟霞婷芳玲琳倩颖洁雪莉慧佳琼蓉晶娜丹",
    (2, "male"): "浩宇轩子涵博文睿泽俊杰昊皓然晨逸航一诚铭哲宸奕",
    (2, "female"): "欣怡梓萱涵诗雨佳琪梦思语可馨婉悦妍晨若彤璐瑶",
}

ETHNICITIES: tuple[tuple[str, float], ...] = (
    ("汉族", 96.0), ("回族", 0.6), ("土家族", 0.6), ("苗族", 0.6), ("满族", 0.4), ("壮族", 0.4),
    ("畲族", 0.4), ("彝族", 0.3), ("布依族", 0.3), ("侗族", 0.3), ("蒙古族", 0.1),
)

# Address codes of resident ID numbers: Ningbo's own (鄞州, old 江东 and 鄞县, 海曙, 北仑…), the rest of
# Zhejiang, and the provinces many of Ningbo's workers come from.
ID_AREAS: tuple[tuple[str, float], ...] = (
    ("330212", 38.0), ("330204", 14.0), ("330227", 10.0), ("330203", 7.0), ("330206", 4.0),
    ("330205", 2.0), ("330211", 2.0), ("330281", 2.0), ("330282", 2.0), ("330226", 1.5), ("330225", 1.0),
    ("330102", 1.0), ("330302", 1.0), ("331002", 1.0), ("330602", 0.8), ("330782", 0.8),
    ("342422", 1.5), ("341222", 1.2), ("340104", 0.6), ("362330", 1.0), ("360121", 0.6), ("411381", 1.0),
    ("410526", 0.8), ("513022", 1.0), ("522121", 0.8), ("430524", 0.8), ("433101", 0.4), ("421023", 0.6),
    ("612401", 0.4), ("372922", 0.4), ("320321", 0.4),
)

MOBILE_PREFIXES: tuple[str, ...] = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
    "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183", "185", "186",
    "187", "188", "189", "191", "198", "199",
)

OCCUPATIONS: tuple[tuple[str, float], ...] = (
    ("职员", 14), ("工人", 10), ("个体经营户", 9), ("自由职业", 7), ("司机", 5), ("快递员", 3),
    ("外卖骑手", 3), ("销售", 5), ("厨师", 2), ("保安", 2), ("保洁员", 2), ("装修工", 3), ("教师", 2),
    ("会计", 2), ("护士", 1), ("医生", 1), ("工程师", 3), ("程序员", 2), ("公务员", 1), ("农民", 3),
    ("无业", 5), ("学生", 1), ("家政服务员", 2),
)

AGENT_RELATIONS_PERSON: tuple[tuple[str, float], ...] = (
    ("配偶", 25), ("子女", 25), ("兄弟", 9), ("姐妹", 8), ("父母", 8), ("朋友", 5), ("律师", 13),
    ("法律服务工作者", 7),
)
AGENT_RELATIONS_ORG: tuple[tuple[str, float], ...] = (("员工", 60), ("律师", 35), ("法律服务工作者", 5))
KIN_RELATIONS = frozenset({"子女", "兄弟", "姐妹", "父母"})

BRANDS: tuple[str, ...] = (
    "恒通", "永安", "金鼎", "鑫源", "宏达", "甬江", "三江", "天一", "明州", "顺发", "嘉禾", "佳和", "瑞丰",
    "博远", "安泰", "宏远", "恒盛", "润达", "欣和", "鑫晟", "惠民", "康顺", "万隆", "福瑞", "新锐", "众信",
    "信达", "华泰", "东升", "海纳", "百川", "鼎鑫", "和美", "乐家", "优品", "聚丰", "宝利", "金桥", "长丰",
)

# Organisation kinds: (name pattern with {z} for a brand, first two characters of the credit code).
ORG_KINDS: dict[str, tuple[str, str]] = {
    "property": ("宁波{z}物业服务有限公司", "91"),
    "decoration": ("宁波{z}装饰工程有限公司", "91"),
    "restaurant": ("鄞州区东柳{z}餐饮店", "92"),
    "transport": ("宁波{z}物流有限公司", "91"),
    "travel": ("宁波{z}国际旅行社有限公司", "91"),
    "clinic": ("宁波鄞州{z}门诊部有限公司", "91"),
    "ecommerce": ("宁波{z}电子商务有限公司", "91"),
    "construction": ("宁波{z}建设有限公司", "91"),
    "trading": ("宁波{z}贸易有限公司", "91"),
    "supermarket": ("鄞州区东柳{z}超市", "92"),
    "fitness": ("宁波{z}健身服务有限公司", "91"),
    "training": ("宁波{z}教育咨询有限公司", "91"),
    "hair": ("鄞州区{z}美发店", "92"),
    "car_repair": ("宁波{z}汽车维修有限公司", "91"),
    "factory": ("宁波{z}机械制造有限公司", "91"),
    "insurer": ("{z}财产保险股份有限公司宁波分公司", "91"),
}

# Share of cases per dispute type.
DISPUTE_MIX: dict[str, float] = {
    "neighbour": 22.0, "marriage_family": 16.0, "property_management": 10.0, "damages": 10.0, "contract": 8.0,
    "labour": 8.0, "traffic": 8.0, "housing_homestead": 4.0, "consumer": 4.0, "business": 2.0, "medical": 2.0,
    "land_requisition": 1.2, "pollution": 1.2, "internet": 1.5, "tourism": 0.5, "land_forest": 0.3,
    "intellectual_property": 0.2, "other": 2.0,
}

SOURCE_MIX: dict[str, float] = {
    "party_application": 45.0, "grid_report": 22.0, "committee_initiative": 12.0, "police_referral": 10.0,
    "court_entrusted": 4.5, "government_assigned": 3.5, "petition": 3.0,
}

DONGLIU_ROADS: tuple[str, ...] = (
    "中山东路", "百丈东路", "惊驾路", "东柳路", "华严街", "王隘路", "曙光北路", "兴宁路", "彩虹北路", "福明路",
)
OTHER_PLACES: tuple[str, ...] = (
    "宁波市鄞州区百丈街道", "宁波市鄞州区白鹤街道", "宁波市鄞州区明楼街道", "宁波市鄞州区福明街道",
    "宁波市鄞州区首南街道", "宁波市鄞州区中河街道", "宁波市海曙区鼓楼街道", "宁波市江北区甬江街道",
    "宁波市北仑区新碶街道", "宁波市镇海区招宝山街道",
)
RESIDENCES: tuple[str, ...] = ("嘉园", "花苑", "新村", "家园", "公寓", "小区")

JOBS: tuple[str, ...] = ("服务员", "厨工", "操作工", "仓管员", "送货员", "泥水工", "木工", "电工", "销售员", "保洁员")
PERFORMANCE_METHODS: tuple[tuple[str, float], ...] = (
    ("当场履行", 30), ("银行转账", 30), ("微信转账", 18), ("现金支付", 12), ("分期支付", 10),
)
NON_MONEY_METHODS: tuple[str, ...] = ("当事人自行履行", "按协议约定期限自行履行", "当场履行")
OFFICER_TITLES: tuple[str, ...] = ("值班所领导", "副所长", "所长", "值班民警")

WORK_UNITS: dict[str, tuple[str, ...]] = {
    "lawyer": ("浙江{z}律师事务所",),
    "doctor": ("鄞州区东柳街道社区卫生服务中心", "宁波市鄞州区第二医院"),
    "teacher": ("宁波市东柳小学", "宁波市鄞州区东柳中学"),
    "accountant": ("宁波{z}会计师事务所有限公司",),
}
# Dispute types a mediator of each unit tends to specialise in.
UNIT_SPECIALTIES: dict[str, tuple[str, ...]] = {
    "grid": ("neighbour", "property_management", "marriage_family", "housing_homestead"),
    "community": ("neighbour", "marriage_family", "property_management", "housing_homestead", "damages"),
    "street": ("contract", "labour", "damages", "land_requisition", "marriage_family", "business", "pollution"),
    "police_office": ("neighbour", "damages", "traffic", "consumer"),
    "lawyer": ("contract", "labour", "damages", "traffic", "business", "intellectual_property", "internet"),
    "doctor": ("medical", "damages"),
    "teacher": ("marriage_family", "neighbour"),
    "accountant": ("contract", "business", "labour"),
}

FEEDBACK = {
    "settled": "经{station}移交，{committee}于{day}组织调解，双方自愿达成调解协议，纠纷已化解。",
    "terminated": "经多次调解双方分歧较大，未能达成一致，调解终止，已告知当事人可通过诉讼等途径解决。",
    "rejected": "经审查该纠纷不属于人民调解受理范围，已告知当事人通过其他途径解决，现退回贵所。",
}
GENERIC_CLAUSES: tuple[str, ...] = (
    "本协议履行完毕后，双方就本纠纷再无其他争议，今后互不追究。",
    "双方今后应互谅互让、和睦相处，不得因本纠纷再生事端。",
    "本协议经双方签字并经调解委员会盖章后生效，双方应当自觉履行。",
)
COMMON_FACTS_TAIL = "经调解员释法说理、耐心疏导，双方互谅互让，自愿达成如下协议。"

EMPLOYERS = ("construction", "restaurant", "factory", "trading", "ecommerce", "decoration")

# Scenario: (summary, claims, disputed matters, responsibilities, clauses, amount range in yuan or None,
# organisations or None). Organisations: (chance the first respondent is one, its kinds, chance the first
# applicant is one too); None: people only.
# Placeholders: {a} applicant, {b} respondent, {c} community, {bld} building, {yuan} claimed amount,
# {amt} agreed amount written both ways, {dl} performance deadline, {months}, {years}, {job}, {plate}, {road}.
OrgSpec = tuple[float, tuple[str, ...], float]
Scenario = tuple[str, tuple[str, ...], str, str, tuple[str, ...], tuple[int, int] | None, OrgSpec | None]

SCENARIOS: dict[str, tuple[Scenario, ...]] = {
    "neighbour": (
        ("{a}家住{c}{bld}幢，楼上{b}家卫生间长期渗水，致其家中吊顶霉变、墙面脱落，双方多次协商未果。",
         ("被申请人修复卫生间防水层", "被申请人赔偿吊顶及墙面维修费用"),
         "渗水原因及维修费用的承担。", "{b}家卫生间防水层老化是渗水的主要原因，应承担维修责任。",
         ("{b}于{dl}前请专业人员修复卫生间防水层。", "{b}于{dl}前一次性支付{a}吊顶及墙面维修费{amt}。"),
         (1000, 15000), None),
        ("{a}反映楼上{b}家夜间经常拖动桌椅、跳绳，噪音影响其家人休息，双方多次发生口角。",
         ("被申请人夜间停止产生噪音", "被申请人赔礼道歉"),
         "夜间噪音是否扰民及如何避免。", "{b}家夜间活动噪音影响邻居休息，应当注意；{a}反映问题时言语过激，亦有不妥。",
         ("{b}于每日22时至次日7时不进行跳绳、拖动家具等产生较大噪音的活动。", "{b}在客厅铺设地垫以减少噪音。"),
         None, None),
        ("{b}在{c}{bld}幢楼道内长期堆放杂物并占用公共区域，{a}认为存在消防隐患，双方发生争执。",
         ("被申请人清理楼道杂物", "被申请人今后不再占用公共楼道"),
         "楼道公共区域的使用。", "楼道属全体业主共有部分，{b}长期占用不当。",
         ("{b}于{dl}前清理其堆放在楼道内的全部杂物。", "双方今后均不在楼道等公共区域堆放物品。"),
         None, None),
        ("{a}与{b}系同楼层邻居，{b}在门口安装的摄像头正对{a}家门，{a}认为侵犯其隐私，双方争执不下。",
         ("被申请人拆除或调整摄像头角度",),
         "摄像头安装位置是否侵犯隐私。", "{b}安装摄像头未考虑邻居隐私，应予调整。",
         ("{b}于{dl}前将门口摄像头调整至仅拍摄自家门口的角度。",), None, None),
        ("{b}饲养的犬只未拴绳，在{c}小区内将{a}咬伤，双方就医疗费等赔偿问题协商未果。",
         ("被申请人赔偿医疗费、误工费", "被申请人今后文明养犬"),
         "犬只伤人的赔偿数额。", "{b}作为饲养人未采取安全措施，应承担赔偿责任。",
         ("{b}于{dl}前一次性赔偿{a}医疗费、误工费等各项损失共计{amt}。", "{b}今后外出遛犬须拴绳并清理犬只粪便。"),
         (500, 8000), None),
        ("{b}家装修时拆改墙体，致{a}家墙面出现裂缝，双方就维修责任产生纠纷。",
         ("被申请人负责修复墙面裂缝", "被申请人赔偿损失"),
         "墙面裂缝成因及修复费用。", "{b}装修施工不当是墙面开裂的原因，应承担修复费用。",
         ("{b}于{dl}前一次性支付{a}墙面修复费用{amt}，由{a}自行修复。",), (2000, 20000), None),
    ),
    "marriage_family": (
        ("{a}与{b}系夫妻，婚后因家庭琐事经常争吵，{a}提出离婚，双方就子女抚养及财产分割存在分歧。",
         ("明确子女抚养权归属", "依法分割夫妻共同财产"),
         "子女抚养及共同财产分割。", "双方在婚姻生活中缺乏沟通，对矛盾激化均有责任。",
         ("婚生子女随{a}共同生活，{b}每月支付抚养费至子女年满十八周岁。", "{b}于{dl}前支付{a}财产折价款{amt}。"),
         (20000, 300000), None),
        ("{a}年逾七旬，育有子女多人，{a}反映其子{b}长期未支付赡养费，也不探望照顾。",
         ("被申请人按月支付赡养费", "被申请人定期探望老人"),
         "赡养费数额及赡养义务的履行。", "赡养老人是子女的法定义务，{b}未尽赡养义务不当。",
         ("{b}自本月起每月支付{a}赡养费，首期于{dl}前支付{amt}。", "{b}每月至少探望{a}一次。"),
         (3000, 24000), None),
        ("{a}与{b}系兄弟，父母去世后留有{c}{bld}幢房屋一套，双方就遗产继承分配发生争执。",
         ("依法分割父母遗产",),
         "遗产房屋的分配方式。", "双方对父母遗产享有平等继承权。",
         ("{c}{bld}幢房屋归{b}所有，{b}于{dl}前支付{a}房屋折价款{amt}。",), (50000, 400000), None),
        ("{a}与儿媳{b}因生活习惯和孙辈照料问题长期不和，近日发生激烈争吵，家庭关系紧张。",
         ("双方和睦相处",),
         "家庭成员间的相处方式。", "双方沟通方式欠妥，均应互相体谅。",
         ("双方今后相互尊重，遇事协商解决，不再争吵。", "孙辈日常照料由{b}负责，{a}协助接送。"), None, None),
        ("{a}与{b}离婚后，{b}未按离婚协议约定支付子女抚养费，已拖欠{months}个月。",
         ("被申请人支付拖欠的抚养费",),
         "拖欠抚养费的支付。", "{b}未按约定履行抚养义务，应补足拖欠款项。",
         ("{b}于{dl}前一次性支付拖欠的抚养费{amt}。", "此后{b}按离婚协议约定按时支付抚养费。"), (3000, 30000), None),
    ),
    "property_management": (
        ("{a}系{c}{bld}幢业主，因认为{b}服务不到位，已{years}年未交物业费，双方发生纠纷。",
         ("业主补缴物业费", "物业公司改进服务"),
         "物业服务质量与物业费缴纳。", "业主应按约缴纳物业费；物业公司服务存在不足，应予整改。",
         ("{a}于{dl}前补缴物业费{amt}。", "{b}于一个月内修复{bld}幢单元门禁及楼道照明。"), (1000, 12000), (1.0, ("property",), 0.0)),
        ("{a}停放在{c}小区内的车辆被高空坠物砸坏，{a}认为{b}管理不善，要求赔偿修车费用。",
         ("被申请人赔偿修车费用",),
         "物业公司是否尽到安全保障义务。", "{b}对小区公共区域疏于管理，应承担相应责任。",
         ("{b}于{dl}前一次性支付{a}车辆维修费{amt}。",), (2000, 15000), (1.0, ("property",), 0.0)),
        ("{a}家中下水管道堵塞返水，致地板及家具受损，{a}认为{b}对公共管道未及时疏通维护。",
         ("被申请人赔偿财产损失", "被申请人疏通公共管道"),
         "公共管道维护责任及损失赔偿。", "公共排水管道属{b}维护范围，{b}未及时疏通应承担主要责任。",
         ("{b}于{dl}前赔偿{a}地板及家具损失{amt}。", "{b}每季度对{bld}幢公共排水管道进行一次检查疏通。"),
         (1500, 20000), (1.0, ("property",), 0.0)),
        ("{c}小区电梯频繁故障，{a}等业主多次报修无果，与{b}就维修资金使用产生争议。",
         ("被申请人尽快维修电梯", "公开维修资金使用情况"),
         "电梯维修责任及维修资金使用。", "{b}对电梯维护保养不到位，应及时维修并公开账目。",
         ("{b}于{dl}前完成{bld}幢电梯维修并通过检验。", "{b}在小区公告栏公示维修资金使用明细。"), None, (1.0, ("property",), 0.0)),
    ),
    "damages": (
        ("{b}在{road}骑电动自行车时与步行的{a}相撞，致{a}受伤住院，双方就赔偿数额协商未果。",
         ("被申请人赔偿医疗费、护理费、误工费",),
         "人身损害赔偿数额。", "{b}骑车未注意观察，应承担主要责任。",
         ("{b}于{dl}前一次性赔偿{a}医疗费、护理费、误工费等共计{amt}。",), (3000, 60000), None),
        ("{a}在{b}经营场所内因地面湿滑摔倒致骨折，{a}要求{b}赔偿医疗费等损失。",
         ("被申请人赔偿医疗费等损失",),
         "经营者安全保障责任及赔偿数额。", "{b}未设置警示标志，未尽安全保障义务。",
         ("{b}于{dl}前一次性赔偿{a}医疗费、营养费等各项损失共计{amt}。",), (5000, 80000), (0.85, ("restaurant", "supermarket", "fitness"), 0.0)),
        ("{a}与{b}因琐事发生口角后互相推搡，{a}眼镜被打碎、面部受轻伤，双方就赔偿问题争执不下。",
         ("被申请人赔偿医疗费及财物损失", "被申请人赔礼道歉"),
         "损害赔偿数额及过错分担。", "{b}先动手推搡负主要责任，{a}言语过激亦有一定过错。",
         ("{b}向{a}当面赔礼道歉。", "{b}于{dl}前赔偿{a}医疗费、眼镜损失等共计{amt}。"), (800, 10000), None),
        ("{b}在装修施工中不慎损坏{a}停放在楼下的车辆，双方就修车费用产生纠纷。",
         ("被申请人赔偿修车费用",),
         "车辆损失的赔偿数额。", "{b}施工时未采取防护措施，应承担赔偿责任。",
         ("{b}于{dl}前一次性支付{a}车辆维修费{amt}。",), (1000, 20000), (0.6, ("decoration",), 0.0)),
    ),
    "contract": (
        ("{a}委托{b}装修房屋，工程完工后出现墙面开裂、地砖空鼓等质量问题，双方就尾款支付发生争议。",
         ("被申请人返工维修", "减免装修尾款"),
         "装修质量问题的处理及尾款支付。", "{b}施工存在质量瑕疵，应负责返修；{a}应按约支付尾款。",
         ("{b}于{dl}前对开裂墙面及空鼓地砖进行返修。", "返修验收合格后，{a}支付{b}装修尾款{amt}。"),
         (5000, 60000), (0.6, ("decoration",), 0.0)),
        ("{a}向{b}出借{yuan}元，约定一年内归还，到期后{b}以资金困难为由未还款。",
         ("被申请人归还借款及利息",),
         "借款的归还期限和方式。", "{b}借款到期未还，应承担还款责任。",
         ("{b}于{dl}前归还{a}借款{amt}。", "如{b}逾期未还，{a}可依法向人民法院起诉。"), (10000, 200000), None),
        ("{a}将位于{c}{bld}幢的房屋出租给{b}，{b}拖欠房租{months}个月，且擅自转租，双方发生纠纷。",
         ("被申请人支付拖欠房租", "解除租赁合同"),
         "拖欠租金及租赁合同的解除。", "{b}拖欠租金并擅自转租，违反租赁合同约定。",
         ("双方同意于{dl}解除租赁合同，{b}腾退房屋。", "{b}于{dl}前支付{a}拖欠的房租{amt}，{a}同时退还押金。"),
         (3000, 30000), None),
        ("{a}在{b}处购买的二手车交付后发现发动机存在故障，双方就退车或维修赔偿产生争议。",
         ("被申请人承担维修费用",),
         "车辆瑕疵的责任承担。", "{b}出售车辆时未如实告知车况，应承担维修费用。",
         ("{b}于{dl}前支付{a}发动机维修费用{amt}。",), (3000, 40000), (0.5, ("car_repair", "trading"), 0.0)),
    ),
    "labour": (
        ("{a}于{years}年前起在{b}从事{job}工作，{b}拖欠其{months}个月工资共计{yuan}元，经多次催讨未果。",
         ("被申请人支付拖欠工资",),
         "拖欠工资的数额及支付期限。", "{b}未按时足额支付劳动报酬，应承担支付责任。",
         ("{b}于{dl}前一次性支付{a}拖欠工资{amt}。",), (6000, 60000), (0.9, EMPLOYERS, 0.0)),
        ("{a}在{b}工作期间搬运货物时受伤，{b}未为其缴纳工伤保险，双方就工伤待遇发生争议。",
         ("被申请人支付医疗费及停工留薪期工资",),
         "工伤待遇的数额。", "{b}未依法缴纳工伤保险，应承担工伤保险待遇。",
         ("{b}于{dl}前一次性支付{a}医疗费、停工留薪期工资等各项费用共计{amt}。",), (10000, 120000), (0.9, EMPLOYERS, 0.0)),
        ("{b}以经营困难为由解除与{a}的劳动关系，未支付经济补偿金，{a}要求依法补偿。",
         ("被申请人支付经济补偿金",),
         "解除劳动关系的经济补偿。", "{b}解除劳动合同应依法支付经济补偿。",
         ("双方劳动关系于本协议签订之日解除。", "{b}于{dl}前支付{a}经济补偿金{amt}。"), (5000, 50000), (0.95, EMPLOYERS, 0.0)),
        ("{a}等{months}名工人在{b}承包的工地务工，工程完工后{b}未结清工资，工人多次到现场讨薪。",
         ("被申请人结清工人工资",),
         "农民工工资的结算。", "{b}作为用工单位应按时足额支付工资。",
         ("{b}于{dl}前一次性结清{a}等工人工资共计{amt}。",), (20000, 150000), (0.6, ("construction", "decoration"), 0.0)),
    ),
    "traffic": (
        ("{a}驾驶电动自行车在{road}与{b}驾驶的小型轿车（{plate}）发生碰撞，{a}受伤，交警认定{b}负主要责任。",
         ("被申请人赔偿医疗费、误工费、车辆损失",),
         "交通事故损害赔偿数额。", "依交警部门事故认定，{b}负主要责任，{a}负次要责任。",
         ("{b}于{dl}前一次性赔偿{a}医疗费、误工费、车辆损失等共计{amt}（含保险理赔部分）。",),
         (5000, 150000), (0.05, ("transport",), 0.0)),
        ("{a}驾驶的车辆（{plate}）在{c}小区地下车库内被{b}倒车时刮擦，双方就修车费用协商未果。",
         ("被申请人赔偿修车费用",),
         "车辆损失的赔偿。", "{b}倒车时未确保安全，负事故全部责任。",
         ("{b}于{dl}前一次性支付{a}车辆维修费{amt}。",), (1000, 12000), None),
        ("{b}名下货车（{plate}）在{road}路口右转时与行人{a}发生碰撞，致{a}骨折，双方就赔偿产生分歧。",
         ("被申请人赔偿各项损失",),
         "人身损害赔偿数额及保险理赔。", "{b}转弯未让行行人，负事故全部责任。",
         ("{b}于{dl}前一次性赔偿{a}医疗费、护理费、误工费、营养费等共计{amt}。",), (20000, 200000), (0.5, ("transport",), 0.0)),
    ),
    "housing_homestead": (
        ("{a}与{b}系前后邻居，{b}翻建房屋时加高楼层，影响{a}家采光通风，双方发生争执。",
         ("被申请人停止加高建筑", "被申请人赔偿采光损失"),
         "房屋翻建高度及采光影响。", "{b}加高房屋影响相邻方采光，应给予适当补偿。",
         ("{b}翻建房屋高度不超过原有高度。", "{b}于{dl}前一次性补偿{a}采光损失{amt}。"), (5000, 50000), None),
        ("{a}与{b}因房屋之间通道的归属和使用发生争议，{b}在通道上搭建围墙，影响{a}通行。",
         ("被申请人拆除围墙",),
         "通道的归属与通行权。", "{b}在共用通道上搭建围墙妨碍他人通行，应予拆除。",
         ("{b}于{dl}前拆除通道上的围墙，恢复通行。", "该通道由双方共同使用，任何一方不得占用。"), None, None),
        ("{a}向{b}购买{c}{bld}幢房屋，已付全款但{b}迟迟不配合办理过户手续，双方产生纠纷。",
         ("被申请人协助办理过户",),
         "房屋过户手续的办理。", "{b}收取房款后应协助办理过户。",
         ("{b}于{dl}前协助{a}办理房屋产权过户手续，相关税费按合同约定承担。",), None, None),
    ),
    "consumer": (
        ("{a}在{b}办理健身年卡后，{b}更换经营场地且服务缩水，{a}要求退还剩余费用遭拒。",
         ("被申请人退还剩余预付费用",),
         "预付卡剩余费用的退还。", "{b}单方变更服务内容，应退还剩余费用。",
         ("{b}于{dl}前退还{a}剩余预付费用{amt}。",), (1000, 10000), (1.0, ("fitness",), 0.0)),
        ("{a}在{b}购买的食品已过保质期，食用后出现身体不适，要求{b}赔偿。",
         ("被申请人退款并赔偿",),
         "食品安全问题的赔偿。", "{b}销售过期食品，应承担退款及赔偿责任。",
         ("{b}于{dl}前退还货款并赔偿{a}{amt}。",), (500, 5000), (0.9, ("supermarket",), 0.0)),
        ("{a}为孩子在{b}报名培训课程，因课程质量与宣传不符要求退费，{b}以合同约定为由拒绝。",
         ("被申请人退还培训费",),
         "培训费的退还比例。", "{b}宣传与实际不符，应退还部分费用。",
         ("{b}于{dl}前退还{a}培训费{amt}。",), (2000, 20000), (1.0, ("training",), 0.0)),
    ),
    "business": (
        ("{a}向{b}供应货物，{b}收货后以质量问题为由拖欠货款{yuan}元，双方多次对账未果。",
         ("被申请人支付拖欠货款",),
         "货物质量及货款支付。", "{b}收货后未在约定期限内提出质量异议，应支付货款。",
         ("{b}分两期支付货款，首期于{dl}前支付{amt}。",), (20000, 300000), (0.6, ("trading", "factory"), 0.5)),
        ("{a}与{b}合伙经营店铺，因经营亏损决定散伙，双方就合伙财产及债务分担发生争议。",
         ("依法分割合伙财产",),
         "合伙财产分割与债务承担。", "双方按出资比例分担亏损。",
         ("店铺设备归{b}所有，{b}于{dl}前支付{a}折价款{amt}。", "合伙期间对外债务由双方按出资比例承担。"),
         (10000, 150000), None),
    ),
    "medical": (
        ("{a}在{b}处拔牙后出现感染，经治疗花费较多，{a}认为{b}操作不当，要求赔偿。",
         ("被申请人赔偿医疗费",),
         "诊疗行为是否存在过错及赔偿数额。", "{b}术后告知不充分，存在一定过错。",
         ("{b}于{dl}前一次性补偿{a}医疗费等各项损失{amt}。",), (2000, 30000), (0.9, ("clinic",), 0.0)),
        ("{a}之母在{b}输液后出现过敏反应住院治疗，家属认为{b}未做皮试，双方发生纠纷。",
         ("被申请人赔偿医疗费、护理费",),
         "医疗损害责任。", "{b}用药前未充分询问过敏史，应承担相应责任。",
         ("{b}于{dl}前一次性赔偿{a}医疗费、护理费等共计{amt}。",), (5000, 80000), (0.9, ("clinic",), 0.0)),
    ),
    "land_requisition": (
        ("{a}与{b}系前后邻居，两户房屋均在旧城改造范围内，因两户之间一处附属房的归属发生争议，影响双方签约。",
         ("确认附属房归属", "按归属分配该部分补偿款"),
         "附属房的归属及补偿款分配。", "该附属房系双方共同搭建，补偿款应由双方分享。",
         ("附属房补偿款由{b}统一领取，{b}于{dl}前支付{a}其中的{amt}。",), (10000, 200000), None),
        ("{a}与{b}系兄妹，就拆迁安置房及补偿款的分配产生争执，各执一词。",
         ("依法分配拆迁补偿款",),
         "拆迁补偿款的分配。", "双方均为被安置人口，应合理分配。",
         ("拆迁安置房归{a}所有，{a}于{dl}前支付{b}补偿款{amt}。",), (30000, 400000), None),
    ),
    "pollution": (
        ("{b}厨房油烟直排，排烟口正对{a}家窗户，{a}多次反映无果，要求整改并赔偿。",
         ("被申请人安装油烟净化设备", "被申请人赔偿损失"),
         "油烟排放整改及损失赔偿。", "{b}油烟排放不规范，影响居民生活，应予整改。",
         ("{b}于{dl}前安装油烟净化设备并改道排放。", "{b}补偿{a}清洗费用{amt}。"), (500, 8000), (1.0, ("restaurant",), 0.0)),
        ("{b}的空调外机噪声及热风直吹{a}家卧室，{a}要求其移位。",
         ("被申请人移装空调外机",),
         "空调外机位置调整。", "{b}安装外机未考虑相邻方感受，应予调整。",
         ("{b}于{dl}前将空调外机移装至不影响{a}的位置，费用自理。",), None, None),
    ),
    "internet": (
        ("{a}在网络平台向{b}购买商品，收货后发现与描述不符，{b}拒绝退货退款。",
         ("被申请人退货退款",),
         "网购商品退货退款。", "{b}所售商品与描述不符，应予退货退款。",
         ("{a}于{dl}前将商品寄回，{b}收货后退还货款{amt}。",), (300, 15000), (0.8, ("ecommerce",), 0.0)),
        ("{b}在业主微信群内发布针对{a}的不实言论，{a}认为名誉受损，要求删除并道歉。",
         ("被申请人删除不实言论并道歉",),
         "网络言论是否侵害名誉。", "{b}在群内发布未经核实的言论不当。",
         ("{b}于{dl}前删除相关言论，并在该群内向{a}公开道歉。",), None, None),
    ),
    "tourism": (
        ("{a}报名参加{b}组织的旅游团，行程中被安排强制购物并擅自减少景点，回来后要求退还部分团费。",
         ("被申请人退还部分团费",),
         "旅游服务违约的赔偿。", "{b}擅自变更行程，应承担违约责任。",
         ("{b}于{dl}前退还{a}团费{amt}。",), (500, 10000), (1.0, ("travel",), 0.0)),
    ),
    "land_forest": (
        ("{a}与{b}因承包地边界不清，{b}在边界处种植的树木遮挡{a}承包地，双方发生争执。",
         ("重新确定边界", "被申请人移除越界树木"),
         "承包地边界的确认。", "经现场测量，{b}树木越界种植。",
         ("双方以现场测定的界桩为边界。", "{b}于{dl}前移除越界树木，并补偿{a}{amt}。"), (2000, 20000), None),
    ),
    "intellectual_property": (
        ("{a}发现{b}在宣传资料中未经许可使用其拍摄的照片，要求停止使用并赔偿。",
         ("被申请人停止使用并赔偿",),
         "作品使用许可及赔偿。", "{b}未经许可使用他人作品，应停止侵权并赔偿。",
         ("{b}立即停止使用涉案照片。", "{b}于{dl}前支付{a}许可使用费及赔偿{amt}。"), (3000, 50000), (0.8, ("ecommerce", "training", "trading"), 0.0)),
    ),
    "other": (
        ("{a}与{b}系同事，因{b}借用{a}的电动车后发生损坏，双方就维修费用发生争执。",
         ("被申请人赔偿维修费用",),
         "借用物品损坏的赔偿。", "{b}借用期间造成损坏，应负责维修。",
         ("{b}于{dl}前支付{a}电动车维修费{amt}。",), (500, 5000), None),
        ("{a}与{b}因宠物猫走失后归属问题发生争执，双方情绪激动。",
         ("返还宠物",),
         "宠物的归属。", "经核实，该宠物系{a}所有。",
         ("{b}于{dl}前将宠物猫返还{a}。",), None, None),
    ),
}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_ROLE_ORDER = {"applicant": 0, "respondent": 1, "third_party": 2}
LEVEL_MIX = (("grid", 68.0), ("community", 22.0), ("street", 10.0))
STREET_HEAVY = frozenset({"traffic", "labour", "medical", "land_requisition", "business", "contract"})
NATURES = (("dispute_call", 60.0), ("public_order_case", 20.0), ("minor_criminal_civil_part", 8.0),
            ("non_police_request", 12.0))
RISKS = {"repeat_call": 0.10, "criminal_risk": 0.04, "group": 0.03, "minor": 0.04, "elderly": 0.08,
          "mental_health": 0.02}
# Mediator composition: the first 8 slots make a working small committee; bigger ones cycle through the rest.
FIRST_SLOTS = (("street", "senior"), ("street", "junior"), ("police_office", "senior"), ("community", "senior"),
                ("community", "junior"), ("grid", "senior"), ("grid", "junior"), ("lawyer", "senior"))
MORE_SLOTS = (("grid", "junior"), ("grid", "senior"), ("community", "senior"), ("police_office", "junior"),
               ("street", "senior"), ("grid", "senior"), ("community", "junior"), ("police_office", "senior"),
               ("grid", "junior"), (None, "senior"), ("grid", "senior"), ("community", "senior"), ("street", "junior"))
PROFESSIONS = ("lawyer", "doctor", "teacher", "accountant")


# --- check characters and amounts ----------------------------------------------------------------------------


def resident_id(area: str, birth: dt.date, order: int) -> str:
    """An 18-digit resident ID number (GB 11643); `order` is the 3-digit sequence, odd for men."""
    body = f"{area}{birth.year:04d}{birth.month:02d}{birth.day:02d}{order:03d}"
    return body + "10X98765432"[sum(map(operator.mul, map(int, body), _ID_WEIGHTS)) % 11]


def credit_code(prefix: str, area: str, org8: str) -> str:
    """A unified social credit code (GB 32100) around an organisation code with its GB 11714 check character."""
    check = 11 - sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(org8, _ORG_WEIGHTS)) % 11
    body = prefix + area + org8 + ("X" if check == 10 else "0" if check == 11 else str(check))
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(body, _CREDIT_WEIGHTS))
    return body + _CREDIT_CHARS[(31 - total % 31) % 31]


def capital_yuan(yuan: int) -> str:
    """Whole yuan in financial capitals: 6500 → 陆仟伍佰元整, 100100 → 壹拾万零壹佰元整."""
    if yuan == 0:
        return "零元整"
    digits = str(yuan)
    digits = digits.zfill(-(-len(digits) // 4) * 4)
    groups = len(digits) // 4
    out, zero = "", False
    for g in range(groups):
        chunk = digits[4 * g: 4 * g + 4]
        if chunk == "0000":
            zero = zero or bool(out)
            continue
        for k, ch in enumerate(chunk):
            if ch == "0":
                zero = zero or bool(out)
            else:
                out += ("零" if zero else "") + _CAPITAL_DIGITS[int(ch)] + ("", "拾", "佰", "仟")[3 - k]
                zero = False
        out += ("", "万", "亿", "万亿")[groups - 1 - g]
    return out + "元整"


def amount_text(yuan: int) -> str:
    """人民币陆仟伍佰元整（￥6500.00） — both forms, as an agreement writes an amount."""
    return f"人民币{capital_yuan(yuan)}（￥{yuan}.00）"


# --- makers ---------------------------------------------------------------------------------------------------


class Rng(random.Random):
    """Faster single draws: plain arithmetic on `random()` instead of rejection sampling (bias below 2**-40)."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        return start + step * int(self.random() * ((stop - start + step - 1) // step))


class Pick:
    """A weighted choice by bisecting cumulative weights (one draw, cheaper than Random.choices)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs: Iterable[tuple[object, float]]):
        items, weights = zip(*pairs)
        self.items, self.cum = items, list(itertools.accumulate(weights))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


class People:
    """The parties of a case: people (related as the scenario says), organisations and agents, with valid numbers."""

    def __init__(self, rng: random.Random, street: str):
        self.rng, self.street = rng, street
        self.surname, self.area = Pick(SURNAMES), Pick(ID_AREAS)
        self.ethnicity, self.occupation = Pick(ETHNICITIES), Pick(OCCUPATIONS)
        self.orgs: dict[str, tuple[str, str, str | None, str]] = {}
        self.issued: set[str] = set()  # membership only (never iterated): two people never share a number
        self.pool: list[tuple] = []  # recent people, some of whom come back with another dispute
        self.pick_agent_person, self.pick_agent_org = Pick(AGENT_RELATIONS_PERSON), Pick(AGENT_RELATIONS_ORG)

    def name(self, sex: str, born_year: int, surname: str | None = None) -> str:
        rng = self.rng
        era = 0 if born_year < 1970 else 1 if born_year < 1990 else 2
        chars = GIVEN_CHARS[(era, sex)]
        single = rng.random() < (0.3 if era < 2 else 0.15)
        given = rng.choice(chars) if single else rng.choice(chars) + rng.choice(chars)
        return (surname or self.surname(rng)) + given

    def id_number(self, birth: dt.date, sex: str) -> str:
        rng = self.rng
        while True:
            order = rng.randrange(100) * 10 + (rng.randrange(1, 10, 2) if sex == "male" else rng.randrange(0, 10, 2))
            number = resident_id(self.area(rng), birth, order)
            if number not in self.issued:
                self.issued.add(number)
                return number

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10 ** 8):08d}"

    def landline(self) -> str:
        return f"0574-8{self.rng.randrange(10 ** 7):07d}"

    def room(self) -> str:
        rng = self.rng
        return f"{rng.randint(1, 4)}单元{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"

    def home(self, community: str, building: int) -> str:
        return f"宁波市鄞州区{self.street}{community}{building}幢{self.room()}"

    def elsewhere(self) -> str:
        rng = self.rng
        if rng.random() < 0.5:
            return f"宁波市鄞州区{self.street}{rng.choice(DONGLIU_ROADS)}{rng.randint(1, 800)}号"
        return f"{rng.choice(OTHER_PLACES)}{rng.choice(BRANDS)}{rng.choice(RESIDENCES)}{rng.randint(1, 30)}幢{self.room()}"

    def organisation(self, kind: str, brand: str | None = None) -> tuple[str, str, str, str | None, str]:
        """(name, credit code, representative, phone, address); the same name always gets the same details."""
        rng = self.rng
        pattern, prefix = ORG_KINDS[kind]
        name = pattern.format(z=brand or rng.choice(BRANDS))
        if name not in self.orgs:
            org8 = ("MA2" + "".join(rng.choice(_CREDIT_CHARS) for _ in range(5)) if rng.random() < 0.6
                    else f"{rng.randrange(10 ** 8):08d}")
            area = rng.choice(("330212", "330212", "330204", "330203", "330201"))
            boss = self.name(rng.choice(("male", "male", "female")), rng.randint(1960, 1990))
            phone = self.landline() if rng.random() < 0.55 else self.mobile()
            address = (f"宁波市鄞州区{self.street}{rng.choice(DONGLIU_ROADS)}{rng.randint(1, 800)}号"
                       if rng.random() < 0.5 else f"{rng.choice(OTHER_PLACES)}{rng.choice(DONGLIU_ROADS)}{rng.randint(1, 500)}号")
            self.orgs[name] = (credit_code(prefix, area, org8), boss, phone, address)
        return (name, *self.orgs[name])

    def parties(self, dispute_type: str, scenario: Scenario, community: str, building: int,
                day: dt.date) -> list[dict]:
        rng, summary = self.rng, scenario[0]
        org_share, kinds, applicant_org = scenario[6] or (0.0, (), 0.0)
        count = 2 if rng.random() < 0.6 else 3 if rng.random() < 0.7 else 4
        roles = ["applicant", "respondent"] + [rng.choice(("applicant", "respondent", "third_party"))
                                               for _ in range(count - 2)]
        if kinds and rng.random() < applicant_org:
            first = self.org(rng.choice(kinds), "applicant")
        else:
            age = rng.randint(70, 88) if "年逾七旬" in summary else rng.randint(52, 75) if "儿媳" in summary else None
            sex = "female" if "儿媳" in summary else "male" if "兄" in summary else None
            in_community = dispute_type in ("neighbour", "property_management") or rng.random() < 0.85
            first = self.person("applicant", day, community if in_community else None, building, age=age, sex=sex)
        parties = [first]
        for index, role in enumerate(roles[1:], start=1):
            if index == 1 and kinds and rng.random() < org_share:
                parties.append(self.org(rng.choice(kinds), role))
            elif index == 2 and dispute_type == "traffic" and rng.random() < 0.6:
                parties.append(self.org("insurer", "third_party"))
            elif index == 1:
                parties.append(self.kin(first, role, summary, dispute_type, community, building, day))
            else:
                parties.append(self.person(role, day, community if rng.random() < 0.6 else None, rng.randint(1, 40)))
        parties.sort(key=lambda x: _ROLE_ORDER[x["role"]])
        return parties

    def kin(self, first: dict, role: str, summary: str, dispute_type: str, community: str, building: int,
            day: dt.date) -> dict:
        """The first respondent, related to the applicant as the scenario says (spouse, son, brother…)."""
        rng = self.rng
        born = first["birth_date"].year if first["kind"] == "person" else 1975
        surname = first["name"][0] if first["kind"] == "person" else None
        same_building = dispute_type == "neighbour" and rng.random() < 0.85
        home = community if same_building or rng.random() < 0.45 else None
        if "夫妻" in summary or "离婚" in summary:
            sex = "female" if first.get("sex") == "male" else "male"
            return self.person(role, day, community, building, sex=sex, age=day.year - born + rng.randint(-5, 5),
                               same_address=first)
        if "其子" in summary:
            return self.person(role, day, home, building, sex="male", surname=surname, age=day.year - born - rng.randint(24, 32))
        if "兄弟" in summary or "兄妹" in summary:
            sex = "female" if "兄妹" in summary else "male"
            return self.person(role, day, home, building, sex=sex, surname=surname, age=day.year - born + rng.randint(-8, 8))
        if "儿媳" in summary:
            return self.person(role, day, community, building, sex="female", age=day.year - born - rng.randint(24, 32))
        return self.person(role, day, community if same_building else home, building if same_building else rng.randint(1, 40))

    def person(self, role: str, day: dt.date, community: str | None, building: int, *, sex: str | None = None,
               age: int | None = None, surname: str | None = None, same_address: dict | None = None) -> dict:
        rng = self.rng
        if sex is None and age is None and surname is None and self.pool and rng.random() < 0.03:
            name, sex, birth, id_number, phone, address, occupation, ethnicity = rng.choice(self.pool)  # a repeat disputant
        else:
            sex = sex or ("male" if rng.random() < 0.52 else "female")
            age = max(18, min(90, age if age is not None else int(rng.triangular(18, 85, 42))))
            birth = day - dt.timedelta(days=365 * age + rng.randrange(365))
            name = self.name(sex, birth.year, surname)
            id_number = self.id_number(birth, sex)
            u = rng.random()
            phone = self.mobile() if u < 0.94 else self.landline() if u < 0.98 else None
            if same_address is not None and same_address.get("address"):
                address = same_address["address"]
            else:
                address = self.home(community, building) if community else self.elsewhere()
            occupation = "退休" if age >= 60 and rng.random() < 0.7 else self.occupation(rng)
            ethnicity = self.ethnicity(rng)
            record = (name, sex, birth, id_number, phone, address, occupation, ethnicity)
            if len(self.pool) < 5_000:
                self.pool.append(record)
            else:
                self.pool[rng.randrange(5_000)] = record
        return {"role": role, "kind": "person", "name": name, "sex": sex, "ethnicity": ethnicity, "birth_date": birth,
                "id_type": "resident_id", "id_number": id_number, "occupation": occupation, "phone": phone,
                "address": address, "credit_code": None, "representative": None}

    def org(self, kind: str, role: str) -> dict:
        name, code, boss, phone, address = self.organisation(kind)
        return {"role": role, "kind": "organization", "name": name, "sex": None, "ethnicity": None, "birth_date": None,
                "id_type": None, "id_number": None, "occupation": None, "phone": phone, "address": address,
                "credit_code": code, "representative": boss}

    def agent(self, party: dict, day: dt.date) -> dict:
        rng = self.rng
        person = party["kind"] == "person"
        relation = (self.pick_agent_person if person else self.pick_agent_org)(rng)
        sex = "male" if relation == "兄弟" else "female" if relation == "姐妹" else rng.choice(("male", "female"))
        born = party["birth_date"].year if person else 1985
        born += {"子女": rng.randint(24, 32), "父母": -rng.randint(24, 30)}.get(relation, rng.randint(-6, 6))
        born = max(1935, min(day.year - 18, born))
        surname = party["name"][0] if person and relation in KIN_RELATIONS else None
        birth = dt.date(born, rng.randint(1, 12), rng.randint(1, 28))
        address = (party["address"] if person and relation in ("配偶", "子女", "父母") else
                   f"浙江{rng.choice(BRANDS)}律师事务所" if relation == "律师" else None)
        return {"party_id": party["id"], "name": self.name(sex, born, surname), "relation": relation,
               "phone": self.mobile(), "id_number": self.id_number(birth, sex) if rng.random() < 0.6 else None,
               "address": address, "version": 1, "updated_at": None, "updated_by": None}
