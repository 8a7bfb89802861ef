"""Names of the demo city's districts, streets, communities and people (plausible, not an official list)."""

from __future__ import annotations

from random import Random

# (district suffix of the division code, Chinese name, English name, street names west to east)
DISTRICTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("06", "西湖区", "Xihu District", ("蒋村", "文新", "古荡", "翠苑", "西溪")),
    ("05", "拱墅区", "Gongshu District", ("祥符", "和睦")),
)

STREETS_EN = {
    "蒋村": "Jiangcun",
    "文新": "Wenxin",
    "古荡": "Gudang",
    "翠苑": "Cuiyuan",
    "西溪": "Xixi",
    "祥符": "Xiangfu",
    "和睦": "Hemu",
}

# Community names per street, "中文:pinyin" separated by "|", in the order they are handed out (north to south).
COMMUNITIES = {
    "蒋村": "蒋村花园:Jiangcun Huayuan|晴川:Qingchuan|西溪花园:Xixi Huayuan|庆丰:Qingfeng|紫桂:Zigui|"
    "金色黎明:Jinse Liming|蒋村新苑:Jiangcun Xinyuan|龙章:Longzhang",
    "文新": "德加:Dejia|桂花城:Guihuacheng|文鼎苑:Wendingyuan|金地:Jindi|竞舟:Jingzhou|"
    "文新花园:Wenxin Huayuan|华苑:Huayuan|双塔:Shuangta",
    "古荡": "古荡新村:Gudang Xincun|嘉绿苑:Jialüyuan|政苑:Zhengyuan|马塍路:Machenglu|华星:Huaxing|"
    "益乐:Yile|古荡湾:Gudangwan|文锦:Wenjin",
    "翠苑": "翠苑一区:Cuiyuan Yiqu|翠苑二区:Cuiyuan Erqu|翠苑三区:Cuiyuan Sanqu|翠苑四区:Cuiyuan Siqu|"
    "翠苑五区:Cuiyuan Wuqu|学军:Xuejun|文华:Wenhua|府苑:Fuyuan",
    "西溪": "求是:Qiushi|曙光:Shuguang|西溪新村:Xixi Xincun|浙大:Zheda|黄龙:Huanglong|玉古:Yugu|"
    "文二:Wen'er|马塍:Macheng",
    "祥符": "祥符桥:Xiangfuqiao|勤丰:Qinfeng|吉如:Jiru|杨家:Yangjia|花园岗:Huayuangang|北秀:Beixiu|"
    "新文:Xinwen|总管塘:Zongguantang",
    "和睦": "和睦新村:Hemu Xincun|阮家桥:Ruanjiaqiao|华丰:Huafeng|方家:Fangjia|李家桥:Lijiaqiao|"
    "登云:Dengyun|红石:Hongshi|和睦院:Hemuyuan",
}

# Villages (rural communities) on the wetland edge of the westernmost street.
VILLAGES = (("五联村", "Wulian Village"), ("深潭口村", "Shentankou Village"), ("周家村", "Zhoujia Village"))

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾沈蒋蔡丁俞潘钱楼金方叶汪"
_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "晓东",
    "海燕",
    "志强",
    "文杰",
    "佳怡",
    "思远",
    "雨婷",
    "浩然",
    "梓涵",
    "一鸣",
    "子豪",
    "欣怡",
    "建国",
    "国强",
    "晓峰",
    "丽华",
    "玉兰",
    "春燕",
    "俊杰",
    "立新",
    "永明",
    "海峰",
    "慧敏",
    "晨曦",
    "宇航",
    "嘉怡",
    "天宇",
]


def community_names(street: str) -> list[tuple[str, str]]:
    """(Chinese, English) community names for a street, in hand-out order."""
    pairs = [item.split(":") for item in COMMUNITIES[street].split("|")]
    return [(f"{zh}社区", f"{en} Community") for zh, en in pairs]


def person_names(count: int, rng: Random) -> list[str]:
    """`count` distinct plausible Chinese personal names."""
    every = [surname + given for surname in _SURNAMES for given in _GIVEN]
    return rng.sample(every, count)
