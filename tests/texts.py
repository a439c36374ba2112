"""Small articles written for the tests (never read from ../shared)."""

ENGLISH_ARTICLE = """Border trade lifts small exporters in the Far East

Small and medium-sized enterprises in the Russian Far East sold more goods to China this year than ever before.
Regional officials said that trade with China grew by a fifth, driven by food, timber and machinery.
Most of the new exporters are small firms with fewer than fifty employees.
They settle their contracts in roubles and yuan, which protects them from delays in dollar payments.

The weather in Vladivostok was unusually warm in October.
A new bridge across the Amur river has shortened deliveries for small exporters by two days.
Officials expect trade between small firms in Russia and China to keep growing next year.
"""

RUSSIAN_ARTICLE = """Малый бизнес наращивает торговлю с Китаем

Малые и средние предприятия Дальнего Востока в этом году продали в Китай больше товаров, чем когда-либо.
По словам чиновников, торговля с Китаем выросла на пятую часть благодаря продовольствию и лесу.
Большинство новых экспортёров — небольшие компании, где работают менее пятидесяти человек.
Они рассчитываются в рублях и юанях, что защищает их от задержек платежей.
Осень во Владивостоке выдалась тёплой.
Новый мост через Амур сократил сроки поставок для малых экспортёров на два дня.
"""

CHINESE_ARTICLE = (
    "今年，远东地区的中小企业向中国出口的商品比以往任何时候都多。"
    "地方官员表示，与中国的贸易增长了五分之一，主要来自食品、木材和机械。"
    "大多数新出口商是员工不足五十人的小企业。"
    "他们用卢布和人民币结算合同，避免了美元支付的延误。"
    "十月的海参崴天气格外温暖。"
    "黑龙江上的新大桥让小型出口商的交货时间缩短了两天"
)

TRADITIONAL_CHINESE_ARTICLE = (
    "今年，遠東地區的中小企業向中國出口的商品比以往任何時候都多。"
    "地方官員表示，與中國的貿易增長了五分之一，主要來自食品、木材和機械。"
    "大多數新出口商是員工不足五十人的小企業。"
    "他們用盧布和人民幣結算合同，避免了美元支付的延誤。"
)

GERMAN_TEXT = (
    "Die kleinen und mittleren Unternehmen aus Russland und China haben ihren Handel "
    "im vergangenen Jahr deutlich ausgeweitet, obwohl die Zahlungen schwieriger geworden sind."
)
