"""A two-FAQ catalog (shipping, returns) answered in zh and en only, for the tests of what a viewer writing another
language gets (the fallback policy, the room's main language)."""

SHIPPING_CATALOG = """\
version: 1
products:
  - id: tee
    name: {zh: 纯棉T恤, en: Cotton Tee}
    price: 79
    variants:
      - {sku: TEE-M, attrs: {size: M}, stock: 10}
faqs:
  - id: shipping
    intent: ask_shipping
    questions:
      zh: [多久发货, 什么时候发货, 几天能发货]
      en: [when do you ship, how long until it ships, shipping time?]
    answer: {zh: "下单后48小时内发货。", en: "We ship within 48 hours of your order."}
  - id: returns
    intent: ask_return
    questions:
      zh: [可以退货吗, 七天无理由吗, 不合适能退吗]
      en: [can I return it, do you take returns, return policy?]
    answer: {zh: "支持七天无理由退货。", en: "Returns are accepted within 7 days."}
"""
