"""Page images of the papers after the agreement (issue 14): the 人民调解回访记录 (followup-record.png) and the
司法确认申请书 (judicial-application.png), from sample inputs, rasterised with pypdfium2 at 70 dpi like the other
document pages of tools/screenshots.py. Run by `python -m tools.screenshots`."""

import datetime as dt
from pathlib import Path

COMMITTEE = "东柳街道人民调解委员会"
AGREEMENT_NO = "（2026）东柳人调字第087号"


def take_casefile_documents(out_dir: Path, scale: float = 70 / 72) -> list[Path]:
    from tools.page_sheets import save_page_sheet
    from laopan.documents.forms.common import FormParty
    from laopan.documents.forms.followup import FollowUpRecord, build_followup_record
    from laopan.documents.forms.judicial import JudicialApplication, build_judicial_application

    visit = FollowUpRecord(
        committee=COMMITTEE, intake_no="DL2026-00087", sequence=1, dispute="张伟与李秀英邻里纠纷",
        parties=("申请人：张伟", "被申请人：李秀英"), agreement_no=AGREEMENT_NO, agreement_on=dt.date(2026, 11, 20),
        visited_on=dt.date(2026, 11, 27), visitor="潘明杰", method="上门", purpose="履行期限、第1条付款",
        performance="部分履行", notes="被申请人已于2026年11月25日修复卫生间防水层，楼下吊顶不再渗水。\n"
                                   "维修费8000元已付4000元，余款被申请人承诺于2026年12月20日前付清。",
        next_step="按计划于2026年12月20日再次回访（余款）。",
    )
    parties = (
        FormParty("申请人", "王小明", "男，汉族，2013年5月1日出生，身份证号：330212201305010016，住址：宁波市鄞州区东柳街道华光城12幢2单元301室",
                  "法定代理人", "王某（父亲），电话：13900001111", "王某"),
        FormParty("申请人", "张伟", "男，汉族，身份证号：330212198001010011，住址：宁波市鄞州区东柳街道华光城12幢2单元301室，电话：13812345678"),
        FormParty("被申请人", "宁波安居物业服务有限公司", "统一社会信用代码：91330212MA2AB1C3X5，住所：宁波市鄞州区东柳街道安居路1号，"
                  "法定代表人：李建国，电话：0574-87654321"),
        FormParty("第三人", "李秀英", "女，汉族，身份证号：330212197502020026，住址：宁波市鄞州区东柳街道华光城12幢2单元401室"),
    )
    application = JudicialApplication(
        court="宁波市鄞州区人民法院", committee=COMMITTEE, intake_no="DL2026-00087", parties=parties,
        dispute="王小明、张伟与宁波安居物业服务有限公司、李秀英邻里纠纷", agreement_no=AGREEMENT_NO,
        signed_on=dt.date(2026, 11, 20), effective_on=dt.date(2026, 11, 20),
        clauses=("被申请人宁波安居物业服务有限公司于2026年12月10日前以银行转账方式向申请人张伟支付电动车维修费人民币壹仟伍佰元整（￥1500.00）。",
                 "被申请人于2026年12月5日前在车棚加装照明灯具。", "各方就本纠纷再无其他争议。"),
        applied_on=dt.date(2026, 11, 27),
    )
    return [save_page_sheet(document, out_dir / name, pages=2, scale=scale)
            for name, document in (("followup-record.png", build_followup_record(visit)),
                                   ("judicial-application.png", build_judicial_application(application)))]
