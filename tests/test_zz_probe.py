from tests.test_hostile_input import _seed, _clients, _post_hostile_everywhere
def test_probe(app, client):
    _seed()
    _post_hostile_everywhere(app, _clients(app))
    html = client.get("/you-said-we-did").get_data(as_text=True)
    i = html.find("onerror")
    print("PROBE", html[i-1500:i+300])
