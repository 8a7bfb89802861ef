"""What people say when they report a problem: everyday Chinese phrasings per matter code.

Written for the simulator, in the words a caller or an app user would use, and deliberately
not copied from the cold-start knowledge (`triage.knowledge`), so that the pipeline's
classification of hotline texts in a simulation is not measured on its own phrases. A text
is a phrase, maybe a place ("{place}附近") and maybe a complaint around it.
"""

from __future__ import annotations

import numpy as np

PHRASES: dict[str, tuple[str, ...]] = {
    "01037": (
        "这边的路灯晚上不亮了",
        "路灯坏了好几天，晚上走路黑乎乎的",
        "有一盏路灯一闪一闪的",
        "路灯杆被撞歪了",
    ),
    "06013": ("路面上有个大坑", "人行道的砖头翘起来了，差点绊倒", "马路塌下去一块", "路面裂开了好长一条缝"),
    "02010": ("交通指示牌被撞倒了", "路口的限速牌歪到一边去了", "禁止停车的牌子不见了"),
    "06016": ("斑马线都快看不见了", "路上的白线磨没了，开车分不清车道", "停止线已经模糊了"),
    "02014": ("路口红绿灯不亮了", "信号灯一直是黄灯在闪", "红绿灯坏了，车子乱开"),
    "06004": ("墙上被人用喷漆乱涂乱画", "楼外墙上画满了涂鸦", "外墙被喷了很多字，很难看"),
    "04002": ("行道树的树枝断了挂在半空", "路边的树歪了，感觉要倒", "树枝长得太低，挡住了路"),
    "06042": ("垃圾桶满了溢出来了", "垃圾箱塞满了没人清运", "垃圾房门口堆满了垃圾袋"),
    "03005": ("垃圾箱的盖子坏了", "果皮箱被撞坏了", "垃圾桶破了一个大洞"),
    "06010": ("路边有人乱扔垃圾", "墙角有一堆生活垃圾", "垃圾袋扔在路边没人收"),
    "06011": ("空地上堆了好多垃圾和渣土", "那块地上的垃圾越堆越多", "建筑垃圾和生活垃圾堆在一起很久了"),
    "06036": ("有人在路边堆了一堆杂物", "楼道外面堆满了旧东西", "一堆破烂占着人行道"),
    "08005": ("工地的建筑垃圾倒在路边", "施工留下的碎砖块没人清", "路边扔了很多施工废料"),
    "06034": ("有辆车停在路边几个月没动过", "一辆破车落满灰一直停着", "路边扔了辆没人要的旧自行车"),
    "06037": ("马路上有一只死猫", "路边有条死狗，有味道了", "绿化带里有死老鼠"),
    "06033": ("地上有用过的针头", "路边扔着输液瓶和针管", "草丛里有医用垃圾"),
    "01004": ("下水口被堵住了，下雨就积水", "雨水箅子的盖板坏了", "路边的排水口盖子不见了"),
    "01013": ("消防栓在漏水", "消防栓被撞坏了", "消火栓的盖子没了"),
    "01023": ("路上有个井盖松了，车子压过去哐哐响", "井盖缺了一块，很危险", "井盖不见了，只剩一个洞"),
    "06040": ("有人在路边放了地锁占车位", "公共车位被人用桶和椅子占着", "路边装了阻车桩不让停车"),
    "10001": ("路面结冰了很滑", "人行道上的积雪没人扫", "下雪后路上全是冰，老人不敢走"),
    "08001": ("工地晚上还在施工，吵得睡不着", "半夜工地机器轰隆隆响", "施工一大早就开始，噪音太大"),
    "06028": ("晚上有人放音乐很大声", "楼下店铺的音响吵得人受不了", "广场上的噪音一直到很晚"),
    "02003": ("停车收费的机器坏了交不了钱", "咪表屏幕不亮了", "停车缴费机吞了硬币"),
    "10002": ("电线掉下来挂在路上", "有根线缆垂到地上了，很危险", "架空的线被风吹断了"),
    "06017": ("绿化带里全是垃圾", "公园草坪上乱七八糟的", "草地上扔满了塑料袋"),
    "07001": ("电线杆上贴满了小广告", "墙上到处是牛皮癣广告", "楼道口被贴了很多办证广告"),
}

_OPENINGS = ("", "你好，", "我反映一下，", "麻烦管一下，", "你好，我要投诉，")
_CLOSINGS = ("", "，好几天了没人管", "，请尽快处理", "，影响大家出行", "，希望有人来看看")


def phrase(code: str, rng: np.random.Generator) -> str:
    """One everyday phrasing of matter `code` (its name when the table has none)."""
    options = PHRASES.get(code)
    if not options:
        return code
    return options[int(rng.integers(len(options)))]


def spoken(code: str, place: str | None, rng: np.random.Generator) -> str:
    """A caller's words: an opening, the place, the problem and maybe a complaint."""
    opening = _OPENINGS[int(rng.integers(len(_OPENINGS)))]
    where = f"{place}附近，" if place else ""
    closing = _CLOSINGS[int(rng.integers(len(_CLOSINGS)))]
    return f"{opening}{where}{phrase(code, rng)}{closing}。"


def typed(code: str, rng: np.random.Generator) -> str:
    """An app user's short description."""
    return phrase(code, rng)
