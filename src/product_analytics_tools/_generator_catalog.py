"""Static vocabulary of the event generator: sites, products, user agents, campaigns, names.

Everything here is a constant tuple (never a set: iteration order must not depend on
PYTHONHASHSEED), so the same seed always draws the same values.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Final

SITE_HOST: Final = "www.shopdemo.com"
SITE_ORIGIN: Final = "https://www.shopdemo.com"

# (locale, currency of its orders, UTC offset of its clocks in minutes, weight)
LOCALES: Final[tuple[tuple[str, str, int, float], ...]] = (
    ("en-US", "USD", -300, 0.34),
    ("en-US", "USD", -480, 0.14),
    ("en-GB", "GBP", 0, 0.14),
    ("de-DE", "EUR", 60, 0.12),
    ("fr-FR", "EUR", 60, 0.08),
    ("es-ES", "EUR", 60, 0.05),
    ("en-IN", "USD", 330, 0.07),
    ("en-AU", "USD", 600, 0.03),
    ("ja-JP", "USD", 540, 0.03),
)
LOCALE_WEIGHTS: Final = tuple(entry[3] for entry in LOCALES)

# Relative traffic by local hour of day (0..23).
HOUR_WEIGHTS: Final = (
    1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.4, 3.6, 4.2, 4.4, 4.6,
    4.8, 4.6, 4.4, 4.3, 4.4, 4.8, 5.4, 6.0, 6.2, 5.4, 3.8, 2.0,
)  # fmt: skip

# (device kind, weight). Apps send screens, browsers send pages.
DEVICE_KINDS: Final = ("desktop", "mobile_web", "tablet_web", "ios_app", "android_app")
DEVICE_KIND_WEIGHTS: Final = (0.46, 0.28, 0.06, 0.11, 0.09)

USER_AGENTS: Final[dict[str, tuple[str, ...]]] = {
    "desktop": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/122.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/121.0.0.0 Safari/537.36 Edg/121.0.2277.128",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
        "Gecko) Version/17.3 Safari/605.1.15",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/122.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/122.0.0.0 Safari/537.36",
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:122.0) Gecko/20100101 Firefox/122.0",
    ),
    "mobile_web": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
        "like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
        "like Gecko) CriOS/122.0.6261.89 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/122.0.6261.64 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Android 14; Mobile; rv:123.0) Gecko/123.0 Firefox/123.0",
    ),
    "tablet_web": (
        "Mozilla/5.0 (iPad; CPU OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.3 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/121.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 9; KFMAWI) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Silk/121.3.1 like Chrome/121.0.6167.164 Safari/537.36",
    ),
    "ios_app": (
        "ShopDemo/4.12.0 (iPhone; iOS 17.3.1; Scale/3.00)",
        "ShopDemo/4.11.2 (iPhone; iOS 16.7.5; Scale/3.00)",
        "ShopDemo/4.12.0 (iPad; iOS 17.2; Scale/2.00)",
    ),
    "android_app": (
        "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 7 Build/UQ1A.240205.004) ShopDemo/4.12.0",
        "Dalvik/2.1.0 (Linux; U; Android 13; SM-A536B Build/TP1A.220624.014) ShopDemo/4.11.2",
        "okhttp/4.12.0 ShopDemo/4.12.0 (Android 12; Mobile)",
    ),
}

# What an app reports as context.device.type (lowercased by the pipeline).
APP_DEVICE_TYPES: Final = ("mobile", "mobile", "mobile", "tablet", "Mobile")

SCREENS: Final = ("Home", "Search", "Product Detail", "Cart", "Checkout", "Account", "Orders")

PAGES: Final[tuple[tuple[str, str], ...]] = (
    ("/", "ShopDemo – Everyday things, better made"),
    ("/products", "All products – ShopDemo"),
    ("/category/kitchen", "Kitchen – ShopDemo"),
    ("/category/outdoor", "Outdoor – ShopDemo"),
    ("/category/home-office", "Home office – ShopDemo"),
    ("/pricing", "ShopDemo Plus – plans and pricing"),
    ("/blog/spring-sale", "Spring sale: 20% off everything – ShopDemo blog"),
    ("/blog/how-to-choose-a-backpack", "How to choose a backpack – ShopDemo blog"),
    ("/help", "Help centre – ShopDemo"),
    ("/about", "About us – ShopDemo"),
)
LANDING_PAGE_WEIGHTS: Final = (0.34, 0.14, 0.08, 0.07, 0.05, 0.08, 0.1, 0.08, 0.03, 0.03)

# (product_id, sku, name, category, price in USD)
PRODUCTS: Final[tuple[tuple[str, str, str, str, float], ...]] = (
    ("p-1001", "KIT-CHEF-08", "Chef's knife 8\"", "kitchen", 89.0),
    ("p-1002", "KIT-PAN-28", "Cast-iron pan 28 cm", "kitchen", 64.5),
    ("p-1003", "KIT-MUG-2", "Stoneware mug (set of 2)", "kitchen", 24.0),
    ("p-1004", "KIT-GRIND", "Burr coffee grinder", "kitchen", 129.0),
    ("p-1005", "OUT-PACK-30", "Day pack 30 l", "outdoor", 119.0),
    ("p-1006", "OUT-BOTL-75", "Insulated bottle 0.75 l", "outdoor", 32.0),
    ("p-1007", "OUT-TENT-2", "Two-person tent", "outdoor", 249.0),
    ("p-1008", "OUT-LAMP", "Head lamp", "outdoor", 39.9),
    ("p-1009", "OFF-DESK-LMP", "Desk lamp", "home-office", 74.0),
    ("p-1010", "OFF-CHAIR", "Ergonomic chair", "home-office", 399.0),
    ("p-1011", "OFF-NOTE-A5", "Notebook A5 (3-pack)", "home-office", 18.5),
    ("p-1012", "OFF-STAND", "Laptop stand", "home-office", 49.0),
    ("p-1013", "KIT-TEA-CRÈME", "Crème brûlée torch", "kitchen", 29.0),
    ("p-1014", "OUT-SOCK-3", "Merino socks (3 pairs)", "outdoor", 36.0),
)

# Rough rate from USD to the order currency, so prices look local.
FROM_USD: Final[dict[str, float]] = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79}

SEARCH_TERMS: Final = ("backpack", "coffee grinder", "tent", "desk lamp", "merino", "mug")

BUTTONS: Final[tuple[tuple[str, str, str], ...]] = (
    ("hero_cta", "Shop the sale", "home"),
    ("newsletter_subscribe", "Subscribe", "footer"),
    ("size_guide", "Size guide", "product"),
    ("share_product", "Share", "product"),
    ("apply_coupon", "Apply", "cart"),
    ("chat_open", "Chat with us", "help"),
    ("dark_mode_toggle", "Dark mode", "account"),
)

# Feature-usage events of signed-in users, as canonical names.
FEATURE_EVENTS: Final = (
    "products_searched",
    "product_added_to_wishlist",
    "review_submitted",
    "coupon_applied",
    "video_played",
    "address_saved",
)

# (plan, MRR in the reporting currency)
PLANS: Final[tuple[tuple[str, float], ...]] = (
    ("plus_monthly", 9.99),
    ("plus_family", 19.99),
    ("pro", 29.0),
    ("business", 99.0),
)

# (name, variants, surface): the first variant is the control.
EXPERIMENTS: Final[tuple[tuple[str, tuple[str, ...], str], ...]] = (
    ("checkout_redesign", ("control", "treatment"), "checkout"),
    ("pricing_page_copy", ("control", "value_first"), "pricing"),
    ("onboarding_flow", ("control", "short", "guided"), "signup"),
)

FIRST_NAMES: Final = ("Ana", "Ben", "Chloé", "David", "Emma", "Farah", "Georg", "Hana", "Ivan")
LAST_NAMES: Final = ("Silva", "Schmidt", "Müller", "Smith", "Dubois", "Khan", "Tanaka", "Rossi")
EMAIL_DOMAINS: Final = ("example.com", "example.org", "mail.example.net")

# Landing channels: (channel key, weight). Each key is expanded in the people module.
CHANNELS: Final = (
    "direct",
    "organic_search",
    "paid_search",
    "organic_social",
    "paid_social",
    "email",
    "referral",
    "affiliate",
    "display",
)
CHANNEL_WEIGHTS: Final = (0.24, 0.24, 0.1, 0.08, 0.07, 0.1, 0.09, 0.05, 0.03)

SEARCH_REFERRERS: Final = (
    "https://www.google.com/",
    "https://www.google.co.uk/",
    "https://www.google.de/",
    "https://www.bing.com/search?q=shopdemo",
    "https://duckduckgo.com/",
    "https://www.ecosia.org/search?q=backpack",
    "https://search.yahoo.com/",
)
SOCIAL_REFERRERS: Final = (
    "https://www.facebook.com/",
    "https://l.facebook.com/l.php",
    "https://www.instagram.com/",
    "https://t.co/Xk2Pq9LmZa",
    "https://www.reddit.com/r/BuyItForLife/",
    "https://www.pinterest.com/",
    "https://www.youtube.com/",
    "https://lnkd.in/e7Qp3xR",
)
REFERRAL_REFERRERS: Final = (
    "https://news.ycombinator.com/",
    "https://www.outdoorgearlab.com/reviews/backpacks",
    "https://blog.example.org/best-coffee-grinders-2024",
    "https://forum.example.net:8443/t/desk-setup/912",
    "http://WWW.Example.COM/links.html",
)
SEARCH_TERMS_PAID: Final = ("shopdemo", "buy backpack online", "coffee grinder sale", "desk lamp")
CAMPAIGNS_PAID_SEARCH: Final = ("brand_search", "generic_kitchen", "spring sale 2024")
CAMPAIGNS_SOCIAL: Final = ("spring_sale_2024", "ugc_reels", "retargeting_cart")
CAMPAIGNS_EMAIL: Final = ("weekly_digest", "spring_sale_2024", "win_back", "welcome_series")
AFFILIATES: Final = ("wirecutter", "rakuten", "awin_12345")
DISPLAY_SOURCES: Final = ("criteo", "gdn", "taboola")

# How an event name is spelled by each kind of tracker. "segment" follows the
# Segment spec ("Order Completed"), "ga4" uses GA4's recommended names.
NAME_STYLES: Final = ("title", "snake", "camel", "kebab", "ga4", "legacy")

GA4_NAMES: Final[dict[str, str]] = {
    "page_viewed": "page_view",
    "screen_viewed": "screen_view",
    "product_viewed": "view_item",
    "product_added": "add_to_cart",
    "checkout_started": "begin_checkout",
    "order_completed": "purchase",
    "order_refunded": "refund",
    "signed_up": "sign_up",
}

# Synonyms from SPEC section 2's shipped alias list, in various spellings.
LEGACY_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "signed_up": ("Sign Up", "signup", "User Registered", "userSignedUp", "SIGN_UP"),
    "page_viewed": ("pageview", "Page View", "PageView"),
    "screen_viewed": ("Screen View", "screen_view"),
    "product_viewed": ("Product View", "view_item", "VIEW_ITEM"),
    "product_added": ("Add To Cart", "Added to Cart", "addToCart", "add-to-cart"),
    "checkout_started": ("Begin Checkout", "beginCheckout"),
    "order_completed": ("purchase", "Order Complete", "Checkout Completed", "Purchase"),
    "order_refunded": ("Refund", "Order Refund", "order-refund"),
    "subscription_cancelled": ("subscription_canceled", "Subscription Canceled"),
}

# Cumulative weights of the draws made once per session (random.choices is faster
# with cum_weights than with weights, which it would accumulate on every call).
HOUR_CUM_WEIGHTS: Final = tuple(accumulate(HOUR_WEIGHTS))
LANDING_PAGE_CUM_WEIGHTS: Final = tuple(accumulate(LANDING_PAGE_WEIGHTS))
CHANNEL_CUM_WEIGHTS: Final = tuple(accumulate(CHANNEL_WEIGHTS))
