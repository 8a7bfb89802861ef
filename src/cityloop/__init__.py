"""CityLoop: a city's closed problem-solving loop (智慧城管 / 城市运行管理服务平台)."""

__version__ = "0.1.0"
