"""Code lists of DESIGN §3/§7. Values are the interchange codes; `LABELS` maps them to the Chinese the UI shows
(read it through `laopan.labels`)."""

from enum import StrEnum


class Level(StrEnum):
    GRID = "grid"
    COMMUNITY = "community"
    STREET = "street"


class CaseStatus(StrEnum):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    MEDIATING = "mediating"
    SETTLED = "settled"
    TERMINATED = "terminated"
    REJECTED = "rejected"
    CLOSED = "closed"


class PartyRole(StrEnum):
    APPLICANT = "applicant"
    RESPONDENT = "respondent"
    THIRD_PARTY = "third_party"


class PartyKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class IdType(StrEnum):
    RESIDENT_ID = "resident_id"
    RESIDENT_ID_15 = "resident_id_15"
    HK_MACAU_TW_PERMIT = "hk_macau_tw_permit"
    PASSPORT = "passport"
    FOREIGN_PERMANENT_RESIDENCE = "foreign_permanent_residence"
    OTHER = "other"


class MediatorRank(StrEnum):
    SENIOR = "senior"
    JUNIOR = "junior"
    UNKNOWN = "unknown"


class MediatorUnit(StrEnum):
    GRID = "grid"
    COMMUNITY = "community"
    STREET = "street"
    POLICE_OFFICE = "police_office"
    LAWYER = "lawyer"
    DOCTOR = "doctor"
    TEACHER = "teacher"
    ACCOUNTANT = "accountant"


class CaseMediatorRole(StrEnum):
    LEAD = "lead"
    ASSISTANT = "assistant"
    RECORDER = "recorder"


class ReferralNature(StrEnum):
    DISPUTE_CALL = "dispute_call"
    PUBLIC_ORDER_CASE = "public_order_case"
    MINOR_CRIMINAL_CIVIL_PART = "minor_criminal_civil_part"
    NON_POLICE_REQUEST = "non_police_request"


class RiskFlag(StrEnum):
    REPEAT_CALL = "repeat_call"
    CRIMINAL_RISK = "criminal_risk"
    GROUP = "group"
    MINOR = "minor"
    ELDERLY = "elderly"
    MENTAL_HEALTH = "mental_health"


class AgreementKind(StrEnum):
    WRITTEN = "written"
    ORAL = "oral"


class AgentKind(StrEnum):
    """民法典 Art. 23 (guardian of a minor or a person without full capacity) / Art. 161 (by authorisation)."""

    LEGAL = "legal"
    ENTRUSTED = "entrusted"


class AgentScope(StrEnum):
    """授权委托书: signing an agreement (disposing of the party's rights) needs 特别授权."""

    GENERAL = "general"
    SPECIAL = "special"


class OrgKind(StrEnum):
    """Who acts for an organisation: a company or institution has a 法定代表人; a branch, an individual business,
    a clinic or another unincorporated unit has a 负责人 (民事诉讼法 Art. 51 wording)."""

    COMPANY = "company"
    INSTITUTION = "institution"
    BRANCH = "branch"
    INDIVIDUAL_BUSINESS = "individual_business"
    OTHER = "other"


class Capacity(StrEnum):
    """A person's civil capacity when it is not simply derived from the birth date (民法典 Art. 18–22)."""

    LIMITED = "limited"
    NONE = "none"
    SELF_SUPPORTING = "self_supporting"


class PerformanceStatus(StrEnum):
    NOT_DUE = "not_due"
    PERFORMED = "performed"
    PARTLY = "partly"
    NOT_PERFORMED = "not_performed"


class FeedbackResult(StrEnum):
    SETTLED = "settled"
    NOT_SETTLED = "not_settled"
    WITHDRAWN = "withdrawn"


class ReferralState(StrEnum):
    AWAITING_CONTACT = "awaiting_contact"
    IN_MEDIATION = "in_mediation"
    FEEDBACK_DUE = "feedback_due"
    OVERDUE = "overdue"
    CLOSED = "closed"


class Role(StrEnum):
    MEDIATOR = "mediator"
    POLICE_LIAISON = "police_liaison"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


SOURCES: dict[str, str] = {
    "party_application": "当事人申请",
    "committee_initiative": "调委会主动调解",
    "grid_report": "网格上报",
    "police_referral": "公安机关移交",
    "court_entrusted": "法院委托",
    "government_assigned": "政府部门指定",
    "petition": "信访转入",
}

DISPUTE_TYPES: dict[str, str] = {
    "marriage_family": "婚姻家庭",
    "neighbour": "邻里",
    "housing_homestead": "房屋宅基地",
    "contract": "合同",
    "business": "生产经营",
    "damages": "损害赔偿",
    "land_forest": "山林土地",
    "land_requisition": "征地拆迁",
    "pollution": "环境污染",
    "labour": "劳动争议",
    "consumer": "消费",
    "medical": "医疗",
    "traffic": "道路交通事故",
    "property_management": "物业",
    "tourism": "旅游",
    "intellectual_property": "知识产权",
    "internet": "互联网",
    "other": "其他",
}

LABELS: dict[type, dict[str, str]] = {
    Level: {"grid": "网格", "community": "社区", "street": "街道"},
    CaseStatus: {
        "registered": "登记",
        "accepted": "受理",
        "mediating": "调解中",
        "settled": "调解成功",
        "terminated": "调解终止",
        "rejected": "不予受理",
        "closed": "结案归档",
    },
    PartyRole: {"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人"},
    PartyKind: {"person": "自然人", "organization": "单位"},
    Sex: {"male": "男", "female": "女"},
    IdType: {
        "resident_id": "居民身份证",
        "resident_id_15": "15位旧身份证",
        "hk_macau_tw_permit": "港澳台通行证",
        "passport": "护照",
        "foreign_permanent_residence": "外国人永久居留证",
        "other": "其他证件",
    },
    MediatorRank: {"senior": "老潘（主调）", "junior": "小潘（辅调）", "unknown": "未定"},
    MediatorUnit: {
        "grid": "网格",
        "community": "社区",
        "street": "街道调解中心",
        "police_office": "警调中心",
        "lawyer": "律师",
        "doctor": "医生",
        "teacher": "教师",
        "accountant": "会计师",
    },
    CaseMediatorRole: {"lead": "主持人", "assistant": "辅调", "recorder": "记录人"},
    ReferralNature: {
        "dispute_call": "纠纷警情",
        "public_order_case": "可调解治安案件",
        "minor_criminal_civil_part": "轻微刑事案件民事部分",
        "non_police_request": "非警务诉求",
    },
    RiskFlag: {
        "repeat_call": "重复报警",
        "criminal_risk": "可能民转刑",
        "group": "群体性",
        "minor": "涉未成年人",
        "elderly": "涉老年人",
        "mental_health": "涉精神障碍",
    },
    AgreementKind: {"written": "书面协议", "oral": "口头协议"},
    AgentKind: {"legal": "法定代理人", "entrusted": "委托代理人"},
    AgentScope: {"general": "一般授权", "special": "特别授权"},
    OrgKind: {"company": "公司", "institution": "事业单位、社会团体", "branch": "分支机构",
              "individual_business": "个体工商户、诊所", "other": "其他组织"},
    Capacity: {"limited": "限制民事行为能力", "none": "无民事行为能力", "self_supporting": "以自己的劳动收入为主要生活来源"},
    PerformanceStatus: {"not_due": "未到期", "performed": "已履行", "partly": "部分履行", "not_performed": "未履行"},
    FeedbackResult: {"settled": "调解成功", "not_settled": "调解未成", "withdrawn": "当事人撤回"},
    ReferralState: {
        "awaiting_contact": "待首次联系",
        "in_mediation": "调解中",
        "feedback_due": "待反馈",
        "overdue": "已逾期",
        "closed": "已办结",
    },
    Role: {"mediator": "调解员", "police_liaison": "警调联络员", "supervisor": "主任", "admin": "管理员"},
}


def codes(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


COMMUNITIES: tuple[str, ...] = (
    "安居", "东海花园", "东柳坊", "华光城", "华侨城", "锦苑", "太古城", "幸福苑", "园丁", "月季", "中兴",
)
DEFAULT_COMMITTEE = "东柳街道人民调解委员会"
DEFAULT_STATION = "东柳派出所"
