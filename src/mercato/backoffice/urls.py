from django.contrib.auth import views as auth_views
from django.urls import path

from mercato.backoffice import (
    import_views,
    mapping_views,
    product_import_views,
    product_views,
    stock_views,
    views,
)
from mercato.orders import views as order_views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "seller/login/",
        auth_views.LoginView.as_view(
            template_name="backoffice/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("seller/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("seller/shops/", views.choose_shop, name="choose_shop"),
    path("seller/", views.dashboard, name="dashboard"),
    path("seller/quality/", views.quality, name="quality"),
    path("seller/account/", views.account, name="account"),
    path("seller/account/api-key/", views.regenerate_api_key, name="regenerate_api_key"),
    path("seller/orders/<str:order_id>/decision/", order_views.decide_order, name="decide_order"),
    path("seller/stock/add/", stock_views.add_offer, name="add_offer"),
    path("seller/stock/sell/<int:product_id>/", stock_views.sell_product, name="sell"),
    path("seller/stock/offers/", stock_views.offer_list, name="offers"),
    path("seller/stock/offers/<int:offer_id>/price/", stock_views.edit_price, name="edit_price"),
    path("seller/stock/offers/export/", stock_views.export_offers, name="export_offers"),
    path("seller/stock/import/", import_views.import_offers, name="import"),
    path("seller/stock/import/replace/", import_views.confirm_replace, name="confirm_replace"),
    path("seller/stock/imports/", import_views.import_list, name="imports"),
    path("seller/stock/imports/<int:import_id>/", import_views.import_detail, name="import_detail"),
    path("seller/stock/imports/<int:import_id>/row/", import_views.import_row, name="import_row"),
    path(
        "seller/stock/imports/<int:import_id>/errors/",
        import_views.error_report,
        name="error_report",
    ),
    path("seller/products/new/", product_views.choose_category, name="new_product"),
    path(
        "seller/products/new/<str:category>/",
        product_views.create_product_page,
        name="create_product",
    ),
    path("seller/products/mapping/", mapping_views.mapping, name="mapping"),
    path("seller/products/mapping/file/", mapping_views.mapping_file, name="mapping_file"),
    path("seller/products/mapping/upload/", mapping_views.upload_mapping, name="upload_mapping"),
    path(
        "seller/stock/import/template/",
        product_import_views.product_template,
        name="product_template",
    ),
    path(
        "seller/stock/product-imports/<int:import_id>/",
        product_import_views.product_import_detail,
        name="product_import_detail",
    ),
    path(
        "seller/stock/product-imports/<int:import_id>/row/",
        product_import_views.product_import_row,
        name="product_import_row",
    ),
    path(
        "seller/stock/product-imports/<int:import_id>/transformation-errors/",
        product_import_views.transformation_report,
        name="transformation_report",
    ),
    path(
        "seller/stock/product-imports/<int:import_id>/transformed/",
        product_import_views.transformed_file,
        name="transformed_file",
    ),
    path(
        "seller/stock/product-imports/<int:import_id>/errors/",
        product_import_views.non_integrated_report,
        name="non_integrated_report",
    ),
    path(
        "seller/stock/product-imports/<int:import_id>/added/",
        product_import_views.added_report,
        name="added_report",
    ),
]
