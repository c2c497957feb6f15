from django.contrib.auth import views as auth_views
from django.urls import path

from mercato.backoffice import import_views, stock_views, views

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
    path("seller/account/", views.account, name="account"),
    path("seller/account/api-key/", views.regenerate_api_key, name="regenerate_api_key"),
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
]
